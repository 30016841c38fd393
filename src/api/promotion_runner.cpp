#include "api/promotion_runner.hpp"

namespace nemis::api {

PromotionRunner::~PromotionRunner() {
  stopping_ = true;
  if (worker_.joinable()) worker_.join();
}

Result<PromotionRun> PromotionRunner::Start(const std::string& account, const std::string& org,
                                            registry::PromotionOptions options) {
  std::lock_guard lock(mutex_);
  if (!runs_.empty() && runs_.back().state == "running")
    return Error::Conflict("promotion_running", "第 " + std::to_string(runs_.back().id) +
                                                    " 次升级（" + runs_.back().org +
                                                    "）正在进行，请待其结束后再发起");
  if (worker_.joinable()) worker_.join();  // the last run has ended: its thread is done
  PromotionRun run;
  run.id = static_cast<int64_t>(runs_.size()) + 1;
  run.org = org;
  run.year = options.year;
  run.started_by = account;
  run.started_at = FormatUtc(clock_.Now());
  runs_.push_back(run);
  options.stop = &stopping_;
  worker_ = std::thread([this, index = runs_.size() - 1, options] { Run(index, options); });
  return run;
}

void PromotionRunner::Run(size_t index, const registry::PromotionOptions& options) {
  auto report = registry::Promote(db_, clock_, options, [&](int64_t done, int64_t of) {
    std::lock_guard lock(mutex_);
    runs_[index].done = done;
    runs_[index].of = of;
  });
  std::lock_guard lock(mutex_);
  PromotionRun& run = runs_[index];
  run.finished_at = FormatUtc(clock_.Now());
  if (report.ok()) {
    run.state = "done";
    run.report = std::move(*report);
  } else {
    run.state = "failed";
    run.error_code = report.error().code;
    run.error_message = report.error().message;
  }
}

std::optional<PromotionRun> PromotionRunner::Get(int64_t id) const {
  std::lock_guard lock(mutex_);
  if (id < 1 || id > static_cast<int64_t>(runs_.size())) return std::nullopt;
  return runs_[static_cast<size_t>(id - 1)];
}

}  // namespace nemis::api
