// Work that must commit inside particular writes' own transactions: the audit entry of an
// API write (等保: an audited write and its entry commit or roll back together, so no write
// is ever kept without its entry). The code that makes a write hands the attachment to
// Database::WithWriter (or Write) explicitly, so it joins exactly the transactions it is
// given to — a second write of the same request that is not given it does not carry it —
// on whichever thread runs them (SQLite's group-commit writer included).
#pragma once

#include <atomic>
#include <functional>

#include "base/result.hpp"

namespace nemis::db {

class Connection;

class WriteAttachment {
 public:
  explicit WriteAttachment(std::function<Status(Connection&)> work) : work_(std::move(work)) {}
  WriteAttachment(const WriteAttachment&) = delete;
  WriteAttachment& operator=(const WriteAttachment&) = delete;

  /// How many write transactions carrying it have committed.
  int committed_writes() const { return committed_.load(); }
  bool committed() const { return committed_writes() > 0; }

 private:
  friend class Database;
  Status Run(Connection& c) const { return work_(c); }
  void Committed() { ++committed_; }

  std::function<Status(Connection&)> work_;
  std::atomic<int> committed_{0};
};

}  // namespace nemis::db
