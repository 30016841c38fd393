// While the server runs, carries the scheduled division changes into the tree and the table on
// their day (org/division_change_store.hpp ApplyDueDivisionChanges), and lays the changes over
// the table again whenever the store holds a change in effect the node has not laid
// (RefreshDivisionChanges): one recorded by `nemis division record` beside the running node, or
// a store restored. The changes recorded through the API, or received from the national node,
// are laid at once when due.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::cli {

class DivisionRefresher {
 public:
  DivisionRefresher(db::Database& db, std::string node_code, std::chrono::milliseconds interval);
  ~DivisionRefresher();
  DivisionRefresher(const DivisionRefresher&) = delete;
  DivisionRefresher& operator=(const DivisionRefresher&) = delete;

 private:
  void Run();
  // Applies the changes due and lays what is in effect: whether anything was laid.
  Result<bool> Refresh();
  db::Database& db_;
  std::string node_code_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nemis::cli
