// The SQLite writer: one connection owned by one thread. Callers queue jobs; the
// thread takes every job waiting (up to group_commit_max) into one transaction, runs
// each inside its own savepoint so a failing job is undone alone, and commits once:
// with synchronous=FULL that is one fsync for the whole group instead of one per job.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <semaphore>
#include <span>
#include <thread>
#include <vector>

#include "db/database.hpp"
#include "db/internal/store_metrics.hpp"
#include "db/sqlite/sqlite_connection.hpp"

namespace nemis::db::sqlite {

class GroupCommitWriter {
 public:
  GroupCommitWriter(std::unique_ptr<SqliteConnection> connection, int group_commit_max,
                    StoreMetrics& metrics);
  /// Runs the jobs still queued, then stops the thread.
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  /// Runs `work` in the next group's transaction; blocks until it is committed or failed.
  Status Write(const std::function<Status(Connection&)>& work);
  /// Runs `work` on the writer connection outside any transaction.
  Status WriteRaw(const std::function<Status(Connection&)>& work);
  /// Runs `work` alone in a transaction of its own under a rollback journal instead of
  /// the WAL (see SqliteDatabase::WithExclusiveWriter), and returns the file to WAL after.
  /// Stays in WAL when SQLite refuses the switch (another connection has the file open).
  Status WriteUnderRollbackJournal(const std::function<Status(Connection&)>& work);

 private:
  enum class JobKind { kGroup, kRaw, kRollbackJournal };
  struct Job {
    const std::function<Status(Connection&)>* work;
    JobKind kind;
    Status result;
    std::binary_semaphore done{0};
  };

  Status Submit(Job& job);
  void Loop();
  /// Takes the next raw or journal job alone, or the leading run of group jobs.
  std::vector<Job*> TakeBatch(std::unique_lock<std::mutex>& lock);
  void RunRaw(Job& job);
  void RunUnderRollbackJournal(Job& job);
  bool SetJournalMode(std::string_view mode);
  void RunGroup(std::span<Job*> jobs);
  size_t RunTransaction(std::span<Job*> jobs);
  Status RunAlone(Job& job);
  Status RunInSavepoint(Job& job);
  void Commit(std::span<Job*> succeeded);

  std::unique_ptr<SqliteConnection> connection_;
  size_t group_commit_max_;
  StoreMetrics& metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace nemis::db::sqlite
