#include "cli/log_sealer.hpp"

#include "audit/audit_log.hpp"
#include "base/log.hpp"
#include "db/change_log.hpp"

namespace nemis::cli {

LogSealer::LogSealer(db::Database& db, std::chrono::milliseconds interval)
    : db_(db), interval_(interval) {
  if (db_.backend() == db::Backend::kPostgres) thread_ = std::thread([this] { Run(); });
}

LogSealer::~LogSealer() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  SealPending();
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
  Status changes = [&]() -> Status {
    for (;;) {
      NEMIS_ASSIGN_OR_RETURN(int64_t sealed, db::SealChanges(db_));
      if (sealed == 0) return {};
    }
  }();
  Status audit = audit::SealAll(db_);
  bool ok = changes.ok() && audit.ok();
  if (!ok && !failing_) {
    const Error& e = changes.ok() ? audit.error() : changes.error();
    // The code only: a store error message may name the database host.
    log::Error("log_seal_failed", {{"code", e.code}});
  } else if (ok && failing_) {
    log::Info("log_seal_recovered");
  }
  failing_ = !ok;
}

}  // namespace nemis::cli
