// The SQLite store: a group-commit writer thread and a pool of read connections,
// all on one WAL database file.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "db/internal/store_metrics.hpp"
#include "db/sqlite/group_commit_writer.hpp"
#include "db/sqlite/sqlite_connection.hpp"

namespace nemis::db::sqlite {

class SqliteDatabase final : public Database {
 public:
  /// Opens (creating if needed) the database file at `path`.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, const Options& options);

  Backend backend() const override { return Backend::kSqlite; }
  Status WithReader(const std::function<Status(Connection&)>& work) override;
  Status WithRawWriter(const std::function<Status(Connection&)>& work) override;
  Status WithExclusiveWriter(const std::function<Status(Connection&)>& work) override;
  Status Ping() override;

 protected:
  Status RunWriteTransaction(const std::function<Status(Connection&)>& work) override;

 private:
  SqliteDatabase(std::string path, const Options& options);
  Status OpenReaders();
  Status CloseReaders();
  Result<SqliteConnection*> AcquireReader();
  void ReleaseReader(SqliteConnection* reader);

  std::string path_;
  Options options_;
  StoreMetrics metrics_{"sqlite"};
  std::mutex readers_mutex_;
  std::condition_variable reader_free_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;  // owns all readers
  std::vector<SqliteConnection*> idle_readers_;
  std::unique_ptr<GroupCommitWriter> writer_;  // last: its thread stops before readers close
};

}  // namespace nemis::db::sqlite
