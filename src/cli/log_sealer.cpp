#include "cli/log_sealer.hpp"

#include "audit/audit_log.hpp"
#include "base/log.hpp"
#include "db/change_log.hpp"
#include "db/queue_vacuum.hpp"

namespace nemis::cli {

LogSealer::LogSealer(db::Database& db, std::chrono::milliseconds interval)
    : db_(db), interval_(interval) {
  if (db_.backend() == db::Backend::kPostgres) thread_ = std::thread([this] { Run(); });
}

LogSealer::~LogSealer() {
  if (!thread_.joinable()) return;
  try {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    SealPending();
  } catch (...) {  // NOLINT(bugprone-empty-catch): what is left pending is sealed at the next start
  }
}

void LogSealer::Run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    SealPending();
    lock.lock();
  }
}

void LogSealer::SealPending() {
  int64_t sealed_rows = 0;
  Status changes = [&]() -> Status {
    for (;;) {  // as audit::SealAll: another pass only after a full one
      NEMIS_ASSIGN_OR_RETURN(int64_t sealed, db::SealChanges(db_));
      sealed_rows += sealed;
      if (sealed < db::kSealBatch) return {};
    }
  }();
  Status audit = audit::SealAll(db_);
  Status vacuum = VacuumNowAndThen(sealed_rows);
  bool ok = changes.ok() && audit.ok() && vacuum.ok();
  if (!ok && !failing_) {
    const Error& e = !changes.ok() ? changes.error() : !audit.ok() ? audit.error() : vacuum.error();
    // The code only: a store error message may name the database host.
    log::Error("log_seal_failed", {{"code", e.code}});
  } else if (ok && failing_) {
    log::Info("log_seal_recovered");
  }
  failing_ = !ok;
}

Status LogSealer::VacuumNowAndThen(int64_t sealed_rows) {
  unvacuumed_rows_ += sealed_rows;
  if (unvacuumed_rows_ < db::kVacuumQueuesAfter) return {};
  unvacuumed_rows_ = 0;
  return db::VacuumQueues(db_);
}

}  // namespace nemis::cli
