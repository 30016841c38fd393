// While the server runs, signs checkpoints of the audit log (audit/checkpoint.hpp) and
// copies each to the checkpoint file outside the database: one at start (covering what a
// server killed earlier appended), then as soon as an entry has waited
// audit.checkpoint_interval_seconds or audit.checkpoint_every_entries wait (looked at
// every few seconds), and a last one at stop. So no entry stays much longer than a minute
// without a signature that someone who can write to the database cannot rewind. Each
// minute, and once more at stop, it first has what the node holds for the log in memory
// appended (`flush`: the API's tallies of allowed reads).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "audit/audit_settings.hpp"
#include "audit/checkpoint.hpp"
#include "audit/checkpoint_file.hpp"
#include "crypto/sm2.hpp"
#include "db/database.hpp"

namespace nemis::cli {

class AuditCheckpointer {
 public:
  /// Signs the start's checkpoint before it returns.
  AuditCheckpointer(db::Database& db, crypto::Sm2PrivateKey key,
                    const audit::AuditSettings& settings, std::function<void()> flush);
  ~AuditCheckpointer();  // signs a last checkpoint, then stops

 private:
  void Run();
  void CreateFileIfLogEmpty();
  void SignIfDue(const audit::CheckpointPolicy& policy);
  db::Database& db_;
  crypto::Sm2PrivateKey key_;
  audit::CheckpointPolicy policy_;
  audit::CheckpointFile file_;
  std::function<void()> flush_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: it starts once the rest is set
};

}  // namespace nemis::cli
