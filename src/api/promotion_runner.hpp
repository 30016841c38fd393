// The annual promotion started through the API (POST /api/v1/registry/promotions): one run
// at a time on a thread of its own, its progress and report kept in the store
// (promotion_run, migration 14) for the caller to poll, before and after a restart. A run
// outlives no server: stopping the node stops it after its current batch; the next run
// started finds it 'running' and ends it as failed (interrupted), and the promotion being
// resumable (registry/promotion.hpp), starting it again finishes the job.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "registry/promotion.hpp"

namespace nemis::api {

struct PromotionRun {
  int64_t id = 0;
  std::string org;  // the subtree's code
  int year = 0;
  std::string state = "running";  // running, done, failed (interrupted: error_code)
  int64_t done = 0, of = 0;       // student ids gone through, of all
  registry::PromotionReport report;
  std::string error_code, error_message;  // failed
  std::string started_by, started_at, finished_at;
};

class PromotionRunner {
 public:
  PromotionRunner(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  ~PromotionRunner();  // stops the run after its current batch

  /// Starts `options` on `org`'s subtree for `account`. 409 promotion_running while a run
  /// is going.
  Result<PromotionRun> Start(const std::string& account, const std::string& org,
                             registry::PromotionOptions options);
  /// Run `id` as it stands, whichever node process started it; nullopt if there is none.
  Result<std::optional<PromotionRun>> Get(int64_t id) const;

 private:
  void Run(PromotionRun run, const registry::PromotionOptions& options);
  void Finish(PromotionRun& run, Result<registry::PromotionReport> report);

  db::Database& db_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::optional<PromotionRun> current_;  // the run of this process, while it runs
  std::thread worker_;
  std::atomic<bool> stopping_{false};
};

}  // namespace nemis::api
