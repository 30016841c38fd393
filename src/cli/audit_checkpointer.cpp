#include "cli/audit_checkpointer.hpp"

#include "audit/checkpoint.hpp"
#include "base/date.hpp"
#include "base/log.hpp"

namespace nemis::cli {

AuditCheckpointer::AuditCheckpointer(db::Database& db, crypto::Sm2PrivateKey key, std::chrono::minutes interval,
                                     std::function<void()> flush)
    : db_(db), key_(std::move(key)), interval_(interval), flush_(std::move(flush)), thread_([this] { Run(); }) {}

AuditCheckpointer::~AuditCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  flush_();
  // The entries of the last minutes before a stop get their checkpoint too.
  (void)audit::MaybeCheckpoint(db_, key_, Clock::System(), std::chrono::minutes(0));
}

void AuditCheckpointer::SignIfDue() {
  auto signed_now = audit::MaybeCheckpoint(db_, key_, Clock::System(), interval_);
  if (!signed_now.ok()) log::Error("audit_checkpoint_failed", {{"error", signed_now.error().code}});
}

void AuditCheckpointer::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (wake_.wait_for(lock, std::chrono::minutes(1), [this] { return stopping_; })) break;
    lock.unlock();
    flush_();
    SignIfDue();
    lock.lock();
  }
}

}  // namespace nemis::cli
