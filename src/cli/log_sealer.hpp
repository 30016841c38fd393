// While the server runs on PostgreSQL, numbers the change-log rows and chains the audit
// entries that writes left pending (db::SealChanges, audit::Seal) every
// store.seal_interval_ms, and once more at stop. SQLite seals inside each write and
// needs no sealer. See src/db/change_log.hpp for why writes leave them pending.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "db/database.hpp"

namespace nemis::cli {

class LogSealer {
 public:
  LogSealer(db::Database& db, std::chrono::milliseconds interval);
  ~LogSealer();  // seals what is pending, then stops
  LogSealer(const LogSealer&) = delete;
  LogSealer& operator=(const LogSealer&) = delete;

 private:
  void Run();
  void SealPending();
  // Vacuums the queues once enough sealed rows have left them dead (db/queue_vacuum.hpp).
  Status VacuumNowAndThen(int64_t sealed_rows);
  db::Database& db_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int64_t unvacuumed_rows_ = 0;  // change rows sealed since the last vacuum
  bool failing_ = false;         // logged once per outage, not every interval
  std::thread thread_;
};

}  // namespace nemis::cli
