#include "exchange/source_puller.hpp"

#include <algorithm>
#include <optional>

#include "base/log.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/change_applier.hpp"

namespace nemis::exchange {

SourcePuller::SourcePuller(db::Database& db, const crypto::FieldCipher& cipher, NodeIdentity self,
                           std::string source_code, std::unique_ptr<ChangeSource> source,
                           PullerOptions options, const Clock& clock)
    : db_(db),
      cipher_(cipher),
      self_(std::move(self)),
      source_code_(std::move(source_code)),
      source_(std::move(source)),
      options_(options),
      clock_(clock),
      batch_limit_(options.batch_changes) {
  status_.source = source_code_;
}

SourcePuller::~SourcePuller() {
  Stop();
  if (prefetched_.valid()) prefetched_.wait();
  std::lock_guard lock(ahead_mu_);
  if (ahead_.valid()) ahead_.wait();
}

// The batch after `after`: fetched ahead already, or now. One fetch at a time reaches the
// source: a batch fetched ahead for another start is waited for and dropped. Once it is here,
// the batch after it is fetched ahead, its start read from this one's header.
Result<RemoteBatch> SourcePuller::FetchFrom(int64_t after, int64_t limit) {
  std::future<Result<RemoteBatch>> ahead;
  int64_t ahead_after = -1;
  {
    std::lock_guard lock(ahead_mu_);
    ahead = std::move(ahead_);
    ahead_after = ahead_after_;
  }
  std::optional<Result<RemoteBatch>> fetched;
  if (ahead.valid()) {
    Result<RemoteBatch> got = ahead.get();
    if (ahead_after == after) fetched.emplace(std::move(got));
  }
  if (!fetched) fetched.emplace(source_->Fetch(after, limit));
  if (!fetched->ok()) return std::move(*fetched);
  NoteSourceHead((*fetched)->head);
  auto header = PeekBatchHeader((*fetched)->envelope);
  if (header.ok() && header->after == after && header->last > after) {
    std::lock_guard lock(ahead_mu_);
    ahead_after_ = header->last;
    ahead_ = std::async(std::launch::async,
                        [this, next = header->last, limit] { return source_->Fetch(next, limit); });
  }
  return std::move(*fetched);
}

// Fetches, opens and parses: everything but trusting the source and writing, so that it can
// run beside the write of the batch before.
Result<PreparedBatch> SourcePuller::Prepare(int64_t after, int64_t limit) {
  NEMIS_ASSIGN_OR_RETURN(RemoteBatch remote, FetchFrom(after, limit));
  NEMIS_ASSIGN_OR_RETURN(auto certificate, crypto::Sm2Certificate::FromPem(remote.certificate));
  NEMIS_ASSIGN_OR_RETURN(OpenedBatch opened, OpenBatch(remote.envelope, self_.code,
                                                       certificate.PublicKey(), self_.key));
  if (opened.header.source != source_code_) {
    return Error::Refused("batch_wrong_source", "批次的发送节点不是 " + source_code_);
  }
  NEMIS_ASSIGN_OR_RETURN(ParsedBatch batch, ParseBatch(opened, cipher_));
  return PreparedBatch{std::move(certificate), std::move(batch), remote.head};
}

Result<PreparedBatch> SourcePuller::Take(int64_t after) {
  if (prefetched_.valid()) {
    const bool usable = prefetched_after_ == after;
    Result<PreparedBatch> batch = prefetched_.get();
    if (usable) return batch;
  }
  return Prepare(after, batch_limit_);
}

void SourcePuller::Prefetch(int64_t after) {
  prefetched_after_ = after;
  prefetched_ = std::async(std::launch::async,
                           [this, after, limit = batch_limit_] { return Prepare(after, limit); });
}

Result<bool> SourcePuller::PullOnce() {
  Result<bool> round = PullBatch();
  AdaptBatchLimit(round.ok());
  return round;
}

// The head the source's latest answer told (fetches reach it one at a time, in order), so that
// the backlog counts the batches fetched ahead and under way too. The latest, not the largest:
// a source restored from an older backup answers with a lower head.
void SourcePuller::NoteSourceHead(int64_t head) {
  std::lock_guard lock(mu_);
  status_.head = std::max(head, status_.checkpoint);
}

void SourcePuller::AdaptBatchLimit(bool succeeded) {
  const int64_t floor = std::clamp<int64_t>(options_.batch_min_changes, 1, options_.batch_changes);
  batch_limit_ = succeeded ? std::min(batch_limit_ * 2, options_.batch_changes)
                           : std::max(batch_limit_ / 2, floor);
}

Result<bool> SourcePuller::PullBatch() {
  NEMIS_ASSIGN_OR_RETURN(auto checkpoint,
                         db_.Read<std::optional<Checkpoint>>(
                             [&](db::Connection& c) { return LoadCheckpoint(c, source_code_); }));
  const int64_t after = checkpoint ? checkpoint->last_seq : 0;
  NEMIS_ASSIGN_OR_RETURN(PreparedBatch prepared, Take(after));
  // Opened already, but nothing of it is written before the source is trusted.
  NEMIS_TRY(db_.WithReader([&](db::Connection& c) {
    return TrustNode(c, self_, prepared.certificate, source_code_, clock_.UnixSeconds());
  }));
  const BatchHeader& header = prepared.batch.header;
  if (header.after == after && header.last > after) Prefetch(header.last);
  NEMIS_ASSIGN_OR_RETURN(ApplyReport report,
                         ApplyParsedBatch(db_, cipher_, prepared.batch, clock_));
  std::lock_guard lock(mu_);
  status_.checkpoint = report.checkpoint;
  caught_up_to_ = std::max(prepared.head, report.checkpoint);
  status_.head = std::max(status_.head, report.checkpoint);
  if (!report.repeated) {
    ++status_.batches;
    status_.records += report.records;
    status_.conflicts += report.conflicts;
  }
  status_.last_contact_at = FormatUtc(clock_.Now());
  return !report.repeated && header.last > header.after;
}

void SourcePuller::Record(const Result<bool>& round) {
  std::lock_guard lock(mu_);
  if (round.ok()) {
    status_.last_error.clear();
    status_.last_error_code.clear();
    if (status_.checkpoint >= caught_up_to_) caught_up_at_ = std::chrono::steady_clock::now();
    return;
  }
  ++status_.failures;
  status_.last_error = round.error().message;
  status_.last_error_code = round.error().code;
}

void SourcePuller::Run() {
  std::chrono::milliseconds retry = options_.retry_min;
  std::string failing_code;  // logged when it starts or changes, not at every retry
  for (;;) {
    Result<bool> round = PullOnce();
    Record(round);
    std::chrono::milliseconds wait{0};
    if (!round.ok()) {
      if (round.error().code != failing_code)
        log::Warn("exchange_pull_failed", {{"source", source_code_},
                                           {"code", round.error().code},
                                           {"message", round.error().message}});
      failing_code = round.error().code;
      wait = retry;
      retry = std::min(retry * 2, options_.retry_max);
    } else {
      if (!failing_code.empty()) log::Info("exchange_pull_recovered", {{"source", source_code_}});
      failing_code.clear();
      retry = options_.retry_min;
      if (!*round) wait = options_.poll_interval;
    }
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, wait, [this] { return stopping_; })) return;
  }
}

void SourcePuller::Start() {
  // The stored checkpoint, so that the status is right before the first round succeeds.
  auto stored = db_.Read<std::optional<Checkpoint>>(
      [&](db::Connection& c) { return LoadCheckpoint(c, source_code_); });
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  if (stored.ok() && stored->has_value()) {
    status_.checkpoint = status_.head = caught_up_to_ = (*stored)->last_seq;
  }
  caught_up_at_ = std::chrono::steady_clock::now();
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void SourcePuller::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

SourceStatus SourcePuller::Status() const {
  std::lock_guard lock(mu_);
  SourceStatus out = status_;
  // Behind, or not heard from: a source that cannot be reached is not caught up.
  if (out.checkpoint < caught_up_to_ || !out.last_error.empty()) {
    out.lag_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - caught_up_at_).count();
  }
  return out;
}

}  // namespace nemis::exchange
