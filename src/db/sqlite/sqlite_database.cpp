#include "db/sqlite/sqlite_database.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>

#include "db/internal/invoke_work.hpp"

namespace nemis::db::sqlite {
namespace {

// Deferred: the snapshot starts at the first read and holds until COMMIT, so every
// statement of the work sees the same committed state.
constexpr std::string_view kBeginRead = "BEGIN";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";
constexpr std::string_view kPing = "SELECT 1";

// Memory statistics take a process-wide mutex on every SQLite allocation (about 7% of
// a bulk load); nothing reads them. Only possible before SQLite initialises.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

SqliteDatabase::SqliteDatabase(std::string path, const Options& options)
    : path_(std::move(path)), options_(options) {}

Result<std::unique_ptr<Database>> SqliteDatabase::Open(const std::string& path,
                                                       const Options& options) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) {
    return Error::BadRequest("bad_store_url",
                             "sqlite: needs a file path (in-memory databases are not shared)");
  }
  ConfigureSqliteOnce();
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(path, options));
  // The writer first: it creates the file and switches it to WAL before readers attach.
  NEMIS_ASSIGN_OR_RETURN(auto writer, SqliteConnection::Open(path, options, Role::kWriter));
  NEMIS_TRY(db->OpenReaders());
  db->writer_ = std::make_unique<GroupCommitWriter>(std::move(writer), options.group_commit_max,
                                                    db->metrics_);
  return std::unique_ptr<Database>(std::move(db));
}

Status SqliteDatabase::OpenReaders() {
  std::vector<std::unique_ptr<SqliteConnection>> opened;
  for (int i = 0; i < std::max(1, options_.readers); ++i) {
    NEMIS_ASSIGN_OR_RETURN(auto reader, SqliteConnection::Open(path_, options_, Role::kReader));
    opened.push_back(std::move(reader));
  }
  {
    std::lock_guard lock(readers_mutex_);
    for (auto& reader : opened) {
      idle_readers_.push_back(reader.get());
      readers_.push_back(std::move(reader));
    }
  }
  reader_free_.notify_all();
  return {};
}

// Waits for every reader to be returned, then closes them all: a connection that has
// read holds the WAL open, which forbids leaving WAL mode.
Status SqliteDatabase::CloseReaders() {
  std::unique_lock lock(readers_mutex_);
  auto timeout = std::chrono::milliseconds(options_.busy_timeout_ms);
  if (!reader_free_.wait_for(lock, timeout,
                             [this] { return idle_readers_.size() == readers_.size(); }))
    return Error::Unavailable("SQLite readers still busy after " +
                              std::to_string(options_.busy_timeout_ms) + " ms");
  idle_readers_.clear();
  readers_.clear();
  return {};
}

Result<SqliteConnection*> SqliteDatabase::AcquireReader() {
  std::unique_lock lock(readers_mutex_);
  auto timeout = std::chrono::milliseconds(options_.busy_timeout_ms);
  if (!reader_free_.wait_for(lock, timeout, [this] { return !idle_readers_.empty(); })) {
    return Error::Unavailable("no SQLite reader free within " +
                              std::to_string(options_.busy_timeout_ms) + " ms");
  }
  SqliteConnection* reader = idle_readers_.back();
  idle_readers_.pop_back();
  return reader;
}

void SqliteDatabase::ReleaseReader(SqliteConnection* reader) {
  {
    std::lock_guard lock(readers_mutex_);
    idle_readers_.push_back(reader);
  }
  reader_free_.notify_all();  // CloseReaders waits for all of them
}

Status SqliteDatabase::WithReader(const std::function<Status(Connection&)>& work) {
  ScopedTimer timer(metrics_.read);
  NEMIS_ASSIGN_OR_RETURN(SqliteConnection * reader, AcquireReader());
  reader->StartTransactionTracking();
  Status result = reader->Exec(kBeginRead);
  if (result.ok()) result = InvokeWork(work, *reader);
  if (result.ok() && reader->first_failure()) result = *reader->first_failure();
  if (reader->InTransaction()) {
    Status ended = reader->Exec(result.ok() ? kCommit : kRollback);
    if (result.ok()) result = std::move(ended);
  }
  ReleaseReader(reader);
  return result;
}

Status SqliteDatabase::RunWriteTransaction(const std::function<Status(Connection&)>& work) {
  ScopedTimer timer(metrics_.write);
  return writer_->Write(work);
}

Status SqliteDatabase::WithRawWriter(const std::function<Status(Connection&)>& work) {
  ScopedTimer timer(metrics_.write);
  return writer_->WriteRaw(work);
}

Status SqliteDatabase::WithExclusiveWriter(const std::function<Status(Connection&)>& work) {
  ScopedTimer timer(metrics_.write);
  NEMIS_TRY(CloseReaders());
  Status result = writer_->WriteUnderRollbackJournal(work);
  Status reopened = OpenReaders();
  return result.ok() ? reopened : result;
}

Status SqliteDatabase::Ping() {
  return WithReader([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kPing));
    return {};
  });
}

}  // namespace nemis::db::sqlite
