#include "db/sqlite/group_commit_writer.hpp"

#include <algorithm>

#include "base/log.hpp"
#include "db/internal/invoke_work.hpp"

namespace nemis::db::sqlite {
namespace {

constexpr std::string_view kBeginImmediate = "BEGIN IMMEDIATE";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";
constexpr std::string_view kSavepoint = "SAVEPOINT nemis_job";
constexpr std::string_view kRelease = "RELEASE nemis_job";
constexpr std::string_view kRollbackToSavepoint = "ROLLBACK TO nemis_job";

}  // namespace

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<SqliteConnection> connection,
                                     int group_commit_max, StoreMetrics& metrics)
    : connection_(std::move(connection)),
      group_commit_max_(static_cast<size_t>(std::max(1, group_commit_max))),
      metrics_(metrics),
      thread_([this] { Loop(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

Status GroupCommitWriter::Write(const std::function<Status(Connection&)>& work) {
  Job job{&work, JobKind::kGroup, {}};
  return Submit(job);
}

Status GroupCommitWriter::WriteRaw(const std::function<Status(Connection&)>& work) {
  Job job{&work, JobKind::kRaw, {}};
  return Submit(job);
}

Status GroupCommitWriter::WriteUnderRollbackJournal(
    const std::function<Status(Connection&)>& work) {
  Job job{&work, JobKind::kRollbackJournal, {}};
  return Submit(job);
}

Status GroupCommitWriter::Submit(Job& job) {
  // A job that queued another write and waited for it would wait forever.
  if (std::this_thread::get_id() == thread_.get_id()) {
    return Error::Internal("a write job may not start another write (nested WithWriter)");
  }
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(&job);
    if (job.kind == JobKind::kGroup) metrics_.group_queued.Add();
  }
  wake_.notify_one();
  job.done.acquire();
  return std::move(job.result);
}

void GroupCommitWriter::Loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to run
    std::vector<Job*> batch = TakeBatch(lock);
    lock.unlock();
    switch (batch.front()->kind) {
      case JobKind::kRaw:
        RunRaw(*batch.front());
        break;
      case JobKind::kRollbackJournal:
        RunUnderRollbackJournal(*batch.front());
        break;
      case JobKind::kGroup:
        RunGroup(batch);
        break;
    }
    // Results are set; wake the callers (each owns its Job, so touch none after).
    for (Job* job : batch) job->done.release();
    lock.lock();
  }
}

std::vector<GroupCommitWriter::Job*> GroupCommitWriter::TakeBatch(std::unique_lock<std::mutex>&) {
  std::vector<Job*> batch;
  if (queue_.front()->kind != JobKind::kGroup) {
    batch.push_back(queue_.front());
    queue_.pop_front();
    return batch;
  }
  while (!queue_.empty() && queue_.front()->kind == JobKind::kGroup &&
         batch.size() < group_commit_max_) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  return batch;
}

void GroupCommitWriter::RunRaw(Job& job) {
  connection_->StartTransactionTracking();
  job.result = InvokeWork(*job.work, *connection_);
  // Raw work that failed half-way must not leave its transaction to the next group.
  if (connection_->InTransaction()) (void)connection_->Exec(kRollback);
}

void GroupCommitWriter::RunUnderRollbackJournal(Job& job) {
  bool switched = SetJournalMode("delete");
  Job* alone[] = {&job};
  RunTransaction(alone);
  if (switched && !SetJournalMode("wal")) {
    // Committed all the same; the writer opened next switches the file back to WAL.
    log::Warn("store_journal_not_restored", {{"backend", "sqlite"}});
  }
}

// Returns whether the file is now in `mode`. SQLite keeps WAL while another connection
// has the file open.
bool GroupCommitWriter::SetJournalMode(std::string_view mode) {
  auto result = connection_->Query("PRAGMA journal_mode=" + std::string(mode), {});
  return result.ok() && !result->empty() && result->rows[0].Text(0) == mode;
}

void GroupCommitWriter::RunGroup(std::span<Job*> jobs) {
  metrics_.group_jobs.Add(static_cast<int64_t>(jobs.size()));
  while (!jobs.empty()) {
    metrics_.groups.Add();
    jobs = jobs.subspan(RunTransaction(jobs));
  }
}

// Runs jobs in one transaction until all have run or the transaction was lost (SQLite
// rolls back the whole transaction on some errors, e.g. a full disk); returns how many
// jobs it consumed. Each consumed job ends with its result set.
size_t GroupCommitWriter::RunTransaction(std::span<Job*> jobs) {
  if (Status begun = connection_->Exec(kBeginImmediate); !begun.ok()) {
    log::Error("store_begin_failed", {{"backend", "sqlite"}, {"message", begun.error().message}});
    Error failed = Error::Unavailable("cannot start a write transaction: " + begun.error().message);
    for (Job* job : jobs) job->result = failed;
    return jobs.size();
  }
  std::vector<Job*> succeeded;
  if (jobs.size() == 1) {
    // Alone, a job needs no savepoint: its failure rolls back the whole transaction.
    // This matters for bulk work: inside a savepoint every statement of a large
    // transaction pays for truncating a statement journal as big as the transaction.
    Job& job = *jobs[0];
    job.result = RunAlone(job);
    if (job.result.ok()) {
      succeeded.push_back(&job);
      Commit(succeeded);
    } else if (connection_->InTransaction()) {
      (void)connection_->Exec(kRollback);
    }
    return 1;
  }
  for (size_t i = 0; i < jobs.size(); ++i) {
    Job& job = *jobs[i];
    job.result = RunInSavepoint(job);
    if (!connection_->InTransaction()) {
      Error lost = Error::Unavailable("the write transaction was rolled back by the store");
      for (Job* done : succeeded) done->result = lost;
      if (job.result.ok()) job.result = lost;
      return i + 1;
    }
    if (job.result.ok()) succeeded.push_back(&job);
  }
  Commit(succeeded);
  return jobs.size();
}

// Runs the work and turns failures it swallowed or deferred into its result.
Status GroupCommitWriter::RunAlone(Job& job) {
  connection_->StartTransactionTracking();
  Status result = InvokeWork(*job.work, *connection_);
  if (result.ok() && connection_->first_failure()) result = *connection_->first_failure();
  // A deferred foreign-key violation only surfaces at COMMIT, where it would fail the
  // whole group: charge it to the job that caused it.
  if (result.ok() && connection_->HasDeferredForeignKeyViolations()) {
    result =
        Error{ErrorKind::kInvalid, "constraint_violation", "FOREIGN KEY constraint failed", {}};
  }
  return result;
}

Status GroupCommitWriter::RunInSavepoint(Job& job) {
  NEMIS_TRY(connection_->Exec(kSavepoint));
  Status result = RunAlone(job);
  if (result.ok()) {
    result = connection_->Exec(kRelease);
    if (result.ok()) return result;
  }
  if (connection_->InTransaction()) {
    (void)connection_->Exec(kRollbackToSavepoint);
    (void)connection_->Exec(kRelease);
  }
  return result;
}

void GroupCommitWriter::Commit(std::span<Job*> succeeded) {
  Status committed;
  {
    ScopedTimer timer(metrics_.commit);
    committed = connection_->Exec(kCommit);
  }
  if (committed.ok()) return;
  log::Error("store_commit_failed",
             {{"backend", "sqlite"}, {"message", committed.error().message}});
  if (connection_->InTransaction()) (void)connection_->Exec(kRollback);
  Error failed = Error::Unavailable("commit failed: " + committed.error().message);
  for (Job* job : succeeded) job->result = failed;
}

}  // namespace nemis::db::sqlite
