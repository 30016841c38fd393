#include "exchange/national_poller.hpp"

#include "base/log.hpp"

namespace nemis::exchange {

NationalPoller::NationalPoller(db::Database& db, const crypto::FieldCipher& cipher,
                               workflow::CaseStore& cases, std::string province, National national,
                               std::chrono::milliseconds interval)
    : db_(db),
      cipher_(cipher),
      cases_(cases),
      province_(std::move(province)),
      national_(std::move(national)),
      interval_(interval) {}

NationalPoller::~NationalPoller() { Stop(); }

void NationalPoller::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void NationalPoller::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<ConflictSyncReport> NationalPoller::ConflictRound() {
  NEMIS_ASSIGN_OR_RETURN(auto verdicts, PendingVerdicts(db_));
  if (!verdicts.empty()) {
    NEMIS_TRY(national_.report(verdicts));
    NEMIS_TRY(MarkVerdictsReported(db_, verdicts, FormatUtc(Clock::System().Now())));
  }
  NEMIS_ASSIGN_OR_RETURN(ReportedConflicts reported, national_.fetch());
  return SyncConflictCases(db_, cipher_, cases_, reported, province_);
}

Result<TransferSyncReport> NationalPoller::TransferRound() {
  if (!national_.transfers) return TransferSyncReport{};
  NEMIS_ASSIGN_OR_RETURN(TransferPost post, PendingTransferPost(db_, cipher_));
  NEMIS_ASSIGN_OR_RETURN(TransferAnswer answer, national_.transfers(post));
  NEMIS_TRY(MarkTransferPostTaken(db_, post, FormatUtc(Clock::System().Now())));
  return SyncTransfers(db_, cipher_, cases_, answer, Clock::System());
}

// Asks until the national node has told all it holds after this node's last change (a page
// of kDivisionFeedLimit each; a node far behind catches up in one round).
Result<int> NationalPoller::DivisionRound() {
  if (!national_.divisions) return 0;
  int received = 0;
  while (true) {
    NEMIS_ASSIGN_OR_RETURN(int64_t last, org::LastDivisionChange(db_));
    NEMIS_ASSIGN_OR_RETURN(DivisionFeed feed, national_.divisions(last));
    NEMIS_ASSIGN_OR_RETURN(int taken,
                           org::ReceiveDivisionChanges(db_, feed.changes, province_,
                                                       FormatUtc(Clock::System().Now())));
    received += taken;
    if (feed.complete || taken == 0) return received;
  }
}

// The three are independent: a failure of one does not hold up the others.
Result<NationalPollReport> NationalPoller::RunOnce() {
  Result<ConflictSyncReport> conflicts = ConflictRound();
  Result<TransferSyncReport> transfers = TransferRound();
  Result<int> divisions = DivisionRound();
  if (!conflicts.ok()) return conflicts.error();
  if (!transfers.ok()) return transfers.error();
  if (!divisions.ok()) return divisions.error();
  return NationalPollReport{*conflicts, *transfers, *divisions};
}

NationalPollStatus NationalPoller::Status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void NationalPoller::Record(const Result<NationalPollReport>& round) {
  std::lock_guard lock(mu_);
  ++status_.rounds;
  status_.last_ok = round.ok();
  if (!round.ok()) {
    ++status_.failures;
    status_.last_error_code = round.error().code;
    return;
  }
  status_.last_error_code.clear();
  status_.cases_opened += round->conflicts.opened;
  status_.registrations_ended += round->conflicts.yielded;
  status_.transfer_cases_opened += round->transfers.opened;
  status_.transfers_enrolled += round->transfers.enrolled;
  status_.transfer_failures += round->transfers.failed;
  status_.division_changes_received += round->division_changes;
}

namespace {

void LogChanges(const NationalPollReport& r) {
  const ConflictSyncReport& c = r.conflicts;
  if (c.opened || c.closed || c.kept || c.yielded)
    log::Info("exchange_conflict_cases", {{"opened", static_cast<int64_t>(c.opened)},
                                          {"closed", static_cast<int64_t>(c.closed)},
                                          {"unknown", static_cast<int64_t>(c.unknown)},
                                          {"kept", static_cast<int64_t>(c.kept)},
                                          {"yielded", static_cast<int64_t>(c.yielded)}});
  const TransferSyncReport& t = r.transfers;
  if (t.opened || t.refused_here || t.closed_on_withdrawal || t.enrolled || t.refused ||
      t.withdrawn)
    log::Info("exchange_transfers",
              {{"opened", static_cast<int64_t>(t.opened)},
               {"refusedHere", static_cast<int64_t>(t.refused_here)},
               {"closedOnWithdrawal", static_cast<int64_t>(t.closed_on_withdrawal)},
               {"enrolled", static_cast<int64_t>(t.enrolled)},
               {"refused", static_cast<int64_t>(t.refused)},
               {"withdrawn", static_cast<int64_t>(t.withdrawn)}});
  if (r.division_changes)
    log::Info("exchange_division_changes",
              {{"received", static_cast<int64_t>(r.division_changes)}});
}

}  // namespace

void NationalPoller::Run() {
  bool failing = false;
  while (true) {
    auto report = RunOnce();
    Record(report);
    if (!report.ok()) {
      if (!failing)
        log::Warn("exchange_national_poll_failed",
                  {{"code", report.error().code}, {"message", report.error().message}});
      failing = true;
    } else {
      failing = false;
      LogChanges(*report);
    }
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

}  // namespace nemis::exchange
