// The receiving node's side of the online exchange: for each source node, a puller that
// asks for the changes after its checkpoint, verifies and opens the batch (the source's
// certificate comes with it and must be trusted: node_identity.hpp), applies it whole
// (change_applier.hpp) and asks again; when caught up it waits exchange.poll_interval_ms,
// after a failure it backs off (doubling up to exchange.retry_max_ms) and tries again from
// the checkpoint, so a cut connection, a node killed mid-batch, a duplicated or a reordered
// delivery end with every change applied once. How the batch is fetched is the
// ChangeSource's business (HTTP in production: cli/http_change_source.hpp).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/change_applier.hpp"
#include "exchange/node_identity.hpp"

namespace nemis::exchange {

/// A batch as a source node answers it.
struct RemoteBatch {
  std::string envelope;     // batch_envelope.hpp
  std::string certificate;  // the source's certificate (PEM)
  int64_t head = 0;         // the source's last change when it answered
};

/// A fetched batch opened, parsed and its students sealed for this node (not yet checked against
/// this node's trust in the source, nor applied).
struct PreparedBatch {
  crypto::Sm2Certificate certificate;  // the source's, as it sent it
  ParsedBatch batch;
  int64_t head = 0;
};

class ChangeSource {
 public:
  virtual ~ChangeSource() = default;
  /// The source's batch of changes after `after`, at most `limit` log rows, for this node.
  virtual Result<RemoteBatch> Fetch(int64_t after, int64_t limit) = 0;
};

struct PullerOptions {
  int64_t batch_changes = 10000;
  int64_t batch_min_changes =
      100;  // after failures it asks for no fewer (nor more than batch_changes)
  std::chrono::milliseconds poll_interval{200};
  std::chrono::milliseconds retry_min{200};
  std::chrono::milliseconds retry_max{30000};
};

/// What the national system administrator sees of a source (and the metrics export).
struct SourceStatus {
  std::string source;
  int64_t checkpoint = 0;  // applied up to this change of the source
  int64_t head = 0;  // the source's last change as its latest answer told, batches under way too
  int64_t batches = 0, records = 0, conflicts = 0;  // applied by this puller since it started
  int64_t failures = 0;                             // rounds that failed since it started
  std::string last_error;       // the last failure's message ("" after a success)
  std::string last_error_code;  // and its code, e.g. source_diverged
  std::string last_contact_at;  // UTC of the last successful answer
  /// Seconds since the puller was last caught up (its checkpoint at the source's head as of
  /// the batch applied last) while it is behind or the last round failed; 0 when caught up.
  double lag_seconds = 0;
  /// Changes of the source not applied here yet.
  int64_t Backlog() const { return head > checkpoint ? head - checkpoint : 0; }
};

class SourcePuller {
 public:
  SourcePuller(db::Database& db, const crypto::FieldCipher& cipher, NodeIdentity self,
               std::string source_code, std::unique_ptr<ChangeSource> source,
               PullerOptions options = {}, const Clock& clock = Clock::System());
  ~SourcePuller();
  SourcePuller(const SourcePuller&) = delete;
  SourcePuller& operator=(const SourcePuller&) = delete;

  /// One round: fetch the batch after the checkpoint, verify and apply it. True when it
  /// applied changes (there may be more), false when the source had nothing new. Three
  /// batches are under way at once: while one is written, the next is opened, parsed and sealed and
  /// the one after it fetched (its start read from the header of the one before), so the
  /// source's reading, this node's opening and its writing overlap; a batch fetched ahead that
  /// no longer starts at the checkpoint is dropped. A failed round halves the batch asked for
  /// next (to at least batch_min_changes), a successful one doubles it back up to batch_changes: a
  /// link that cuts long answers still carries short ones.
  Result<bool> PullOnce();

  /// The log rows the next round asks for.
  int64_t batch_limit() const { return batch_limit_; }

  /// Pulls on a thread of its own until Stop (or destruction).
  void Start();
  void Stop();

  SourceStatus Status() const;
  const std::string& source_code() const { return source_code_; }

 private:
  void Run();
  void Record(const Result<bool>& round);
  Result<bool> PullBatch();
  void AdaptBatchLimit(bool succeeded);
  Result<PreparedBatch> Prepare(int64_t after, int64_t limit);
  Result<RemoteBatch> FetchFrom(int64_t after, int64_t limit);
  void NoteSourceHead(int64_t head);
  Result<PreparedBatch> Take(int64_t after);
  void Prefetch(int64_t after);

  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  const NodeIdentity self_;
  const std::string source_code_;
  std::unique_ptr<ChangeSource> source_;
  const PullerOptions options_;
  const Clock& clock_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  SourceStatus status_;
  std::chrono::steady_clock::time_point caught_up_at_ = std::chrono::steady_clock::now();
  // The source's head when the batch applied last was fetched: caught up once the checkpoint
  // is there (the lag), while status_.head follows the latest answer (the backlog).
  int64_t caught_up_to_ = 0;
  std::thread thread_;
  std::future<Result<PreparedBatch>> prefetched_;  // the batch after prefetched_after_
  int64_t prefetched_after_ = -1;
  // The batch after that one, fetched by the task preparing it (ahead_mu_ guards both).
  std::mutex ahead_mu_;
  std::future<Result<RemoteBatch>> ahead_;
  int64_t ahead_after_ = -1;
  int64_t batch_limit_;  // only the pulling thread reads or writes it
};

}  // namespace nemis::exchange
