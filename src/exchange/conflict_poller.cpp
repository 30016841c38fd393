#include "exchange/conflict_poller.hpp"

#include "base/log.hpp"

namespace nemis::exchange {

ConflictPoller::ConflictPoller(db::Database& db, const crypto::FieldCipher& cipher,
                               workflow::CaseStore& cases, std::string province, National national,
                               std::chrono::milliseconds interval)
    : db_(db),
      cipher_(cipher),
      cases_(cases),
      province_(std::move(province)),
      national_(std::move(national)),
      interval_(interval) {}

ConflictPoller::~ConflictPoller() { Stop(); }

void ConflictPoller::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void ConflictPoller::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<ConflictSyncReport> ConflictPoller::RunOnce() {
  NEMIS_ASSIGN_OR_RETURN(auto verdicts, PendingVerdicts(db_));
  if (!verdicts.empty()) {
    NEMIS_TRY(national_.report(verdicts));
    NEMIS_TRY(MarkVerdictsReported(db_, verdicts, FormatUtc(Clock::System().Now())));
  }
  NEMIS_ASSIGN_OR_RETURN(ReportedConflicts reported, national_.fetch());
  return SyncConflictCases(db_, cipher_, cases_, reported, province_);
}

ConflictPollStatus ConflictPoller::Status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void ConflictPoller::Record(const Result<ConflictSyncReport>& round) {
  std::lock_guard lock(mu_);
  ++status_.rounds;
  status_.last_ok = round.ok();
  if (!round.ok()) {
    ++status_.failures;
    status_.last_error_code = round.error().code;
    return;
  }
  status_.last_error_code.clear();
  status_.cases_opened += round->opened;
  status_.registrations_ended += round->yielded;
}

void ConflictPoller::Run() {
  bool failing = false;
  while (true) {
    auto report = RunOnce();
    Record(report);
    if (!report.ok()) {
      if (!failing)
        log::Warn("exchange_conflicts_failed",
                  {{"code", report.error().code}, {"message", report.error().message}});
      failing = true;
    } else {
      failing = false;
      if (report->opened || report->closed || report->kept || report->yielded)
        log::Info("exchange_conflict_cases", {{"opened", static_cast<int64_t>(report->opened)},
                                              {"closed", static_cast<int64_t>(report->closed)},
                                              {"unknown", static_cast<int64_t>(report->unknown)},
                                              {"kept", static_cast<int64_t>(report->kept)},
                                              {"yielded", static_cast<int64_t>(report->yielded)}});
    }
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

}  // namespace nemis::exchange
