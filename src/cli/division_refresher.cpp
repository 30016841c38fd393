#include "cli/division_refresher.hpp"

#include "base/date.hpp"
#include "base/log.hpp"
#include "org/division_change_store.hpp"

namespace nemis::cli {

DivisionRefresher::DivisionRefresher(db::Database& db, std::string node_code,
                                     std::chrono::milliseconds interval)
    : db_(db), node_code_(std::move(node_code)), interval_(interval), thread_([this] { Run(); }) {}

DivisionRefresher::~DivisionRefresher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void DivisionRefresher::Run() {
  bool failing = false;  // logged once per outage, not every interval
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    auto refreshed = Refresh();
    if (!refreshed.ok() && !failing)
      log::Warn("division_refresh_failed", {{"code", refreshed.error().code}});
    if (refreshed.ok() && *refreshed) log::Info("division_changes_laid");
    failing = !refreshed.ok();
    lock.lock();
  }
}

Result<bool> DivisionRefresher::Refresh() {
  NEMIS_ASSIGN_OR_RETURN(
      int applied, org::ApplyDueDivisionChanges(db_, node_code_, FormatUtc(Clock::System().Now())));
  NEMIS_ASSIGN_OR_RETURN(bool laid, org::RefreshDivisionChanges(db_));
  return applied > 0 || laid;
}

}  // namespace nemis::cli
