// Work that must commit with the next write of this thread, inside the same transaction:
// the API's audit entry for a write (等保: an audited write and its entry commit or roll
// back together, so no write is ever kept without its entry). The handler below does not
// know about it: Database::WithWriter runs the epilogue after the write's own work, on the
// write's connection, whichever thread executes the transaction.
#pragma once

#include <functional>

#include "base/result.hpp"

namespace nemis::db {

class Connection;

class WriteEpilogue {
 public:
  /// Installs `work` for the calling thread until destruction. Epilogues do not nest.
  explicit WriteEpilogue(std::function<Status(Connection&)> work);
  ~WriteEpilogue();
  WriteEpilogue(const WriteEpilogue&) = delete;
  WriteEpilogue& operator=(const WriteEpilogue&) = delete;

  /// True once a write transaction that ran the epilogue has committed.
  bool committed() const { return committed_; }

  /// The calling thread's epilogue if it still waits for a write, marked as taken (a
  /// write inside the epilogue's own work, or another one running, does not take it);
  /// nullptr otherwise. Database::WithWriter's business, with Run and Release.
  static WriteEpilogue* Take();
  Status Run(Connection& c) const { return work_(c); }
  /// Gives the epilogue back after its transaction: spent if it committed, free again
  /// for the thread's next write if it rolled back.
  void Release(bool committed);

  /// Hides the thread's epilogue from writes made meanwhile (e.g. the API appending other
  /// audit entries in transactions of their own while a write route runs).
  class Hidden {
   public:
    Hidden();
    ~Hidden();
    Hidden(const Hidden&) = delete;
    Hidden& operator=(const Hidden&) = delete;

   private:
    WriteEpilogue* hidden_;
  };

 private:
  std::function<Status(Connection&)> work_;
  bool taken_ = false;
  bool committed_ = false;
};

}  // namespace nemis::db
