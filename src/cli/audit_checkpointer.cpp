#include "cli/audit_checkpointer.hpp"

#include <algorithm>

#include "audit/audit_query.hpp"
#include "base/date.hpp"
#include "base/log.hpp"

namespace nemis::cli {
namespace {

// How often the thread looks whether a checkpoint is due (a cheap read), and how often it
// flushes what the node holds in memory for the log.
constexpr std::chrono::seconds kMaxPoll{5};
constexpr std::chrono::seconds kFlushEvery{60};

// What is due at start and stop: whatever was appended since the last checkpoint.
audit::CheckpointPolicy Now(const audit::CheckpointPolicy& policy) {
  return {std::chrono::seconds(0), policy.every_entries};
}

}  // namespace

AuditCheckpointer::AuditCheckpointer(db::Database& db, crypto::Sm2PrivateKey key,
                                     const audit::AuditSettings& settings,
                                     std::function<void()> flush)
    : db_(db),
      key_(std::move(key)),
      policy_{settings.checkpoint_interval, settings.checkpoint_every_entries},
      file_(settings.checkpoint_file),
      flush_(std::move(flush)) {
  flush_();
  CreateFileIfLogEmpty();
  SignIfDue(Now(policy_));
  thread_ = std::thread([this] { Run(); });
}

// A node whose log is still empty has nothing to sign, so its checkpoint file would not
// exist until the first checkpoint, up to a minute after the first entry, and `verify`
// meanwhile would report it missing. It is created (empty) at once. A file missing beside
// a log with entries keeps meaning that it was lost or that the setting points elsewhere.
void AuditCheckpointer::CreateFileIfLogEmpty() {
  audit::AuditFilter first;
  first.limit = 1;
  auto page = audit::Query(db_, first);
  Status created = page.ok() && page->records.empty() ? file_.Create() : Status();
  if (!page.ok() || !created.ok()) {
    const Error& e = page.ok() ? created.error() : page.error();
    log::Error("audit_checkpoint_failed", {{"error", e.code}, {"message", e.message}});
  }
}

AuditCheckpointer::~AuditCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  // The entries of the last moments before a stop get their checkpoint too. A destructor
  // must not throw: a failure here (out of memory) loses only that last checkpoint, which
  // the next start signs.
  try {
    flush_();
    SignIfDue(Now(policy_));
  } catch (...) {  // nothing more a stopping node can do
  }
}

void AuditCheckpointer::SignIfDue(const audit::CheckpointPolicy& policy) {
  auto signed_now = audit::MaybeCheckpoint(db_, key_, Clock::System(), policy, &file_);
  if (!signed_now.ok()) {
    const Error& e = signed_now.error();
    log::Error("audit_checkpoint_failed", {{"error", e.code}, {"message", e.message}});
  }
}

void AuditCheckpointer::Run() {
  const auto poll = std::min<std::chrono::seconds>(policy_.interval, kMaxPoll);
  auto last_flush = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (wake_.wait_for(lock, poll, [this] { return stopping_; })) break;
    lock.unlock();
    if (std::chrono::steady_clock::now() - last_flush >= kFlushEvery) {
      flush_();
      last_flush = std::chrono::steady_clock::now();
    }
    SignIfDue(policy_);
    lock.lock();
  }
}

}  // namespace nemis::cli
