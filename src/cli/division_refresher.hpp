// While the server runs, lays the division changes over the table again whenever the store
// holds a change the node has not laid (org/division_change_store.hpp RefreshDivisionChanges):
// one recorded by `nemis division record` beside the running node, or a store restored. The
// changes recorded through the API, or received from the national node, are laid at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "db/database.hpp"

namespace nemis::cli {

class DivisionRefresher {
 public:
  DivisionRefresher(db::Database& db, std::chrono::milliseconds interval);
  ~DivisionRefresher();
  DivisionRefresher(const DivisionRefresher&) = delete;
  DivisionRefresher& operator=(const DivisionRefresher&) = delete;

 private:
  void Run();
  db::Database& db_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nemis::cli
