// While the server runs, signs a checkpoint of the audit log every
// audit.checkpoint_interval_minutes when new entries were appended (checked each minute),
// so that entries deleted from the end of the log are detected by `nemis audit verify`.
// Each minute, and once more at stop, it first has what the node holds for the log in
// memory appended (`flush`: the API's tallies of allowed reads).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "crypto/sm2.hpp"
#include "db/database.hpp"

namespace nemis::cli {

class AuditCheckpointer {
 public:
  AuditCheckpointer(db::Database& db, crypto::Sm2PrivateKey key, std::chrono::minutes interval,
                    std::function<void()> flush);
  ~AuditCheckpointer();  // signs a last checkpoint, then stops

 private:
  void Run();
  void SignIfDue();
  db::Database& db_;
  crypto::Sm2PrivateKey key_;
  std::chrono::minutes interval_;
  std::function<void()> flush_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nemis::cli
