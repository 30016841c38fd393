// The annual promotion started through the API (POST /api/v1/registry/promotions): one run
// at a time on a thread of its own, its progress and report kept in memory for the
// caller to poll. A run outlives no server: stopping the node stops it after its current
// batch, and the promotion being resumable (registry/promotion.hpp), starting it again
// finishes the job.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "registry/promotion.hpp"

namespace nemis::api {

struct PromotionRun {
  int64_t id = 0;
  std::string org;  // the subtree's code
  int year = 0;
  std::string state = "running";  // running, done, failed
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
  std::optional<PromotionRun> Get(int64_t id) const;

 private:
  void Run(size_t index, const registry::PromotionOptions& options);

  db::Database& db_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::vector<PromotionRun> runs_;  // every run since the node started, oldest first
  std::thread worker_;
  std::atomic<bool> stopping_{false};
};

}  // namespace nemis::api
