// SQLite specifics: the file and its settings (durability first), reader isolation,
// the single writer thread.
#include <gtest/gtest.h>
#include <sched.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <latch>
#include <thread>

#include "base/metrics.hpp"
#include "db/database.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::db {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.busy_timeout_ms = 1234;
    options_.sqlite_cache_mb = 8;
    options_.sqlite_mmap_mb = 16;
    options_.readers = 2;
    url_ = "sqlite:" + dir_.File("nested/dirs/store.db");
    auto db = Database::Open(url_, options_);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
  }
  // The value of PRAGMA `name` on a reader (or, with writer set, the writer).
  std::string Pragma(const std::string& name, bool writer) {
    std::string out;
    auto work = [&](Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query("PRAGMA " + name));
      out = rs.rows.at(0).Text(0);
      return {};
    };
    Status s = writer ? db_->WithWriter(work) : db_->WithReader(work);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return out;
  }

  testing::TempDir dir_;
  Options options_;
  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteDatabaseTest, CreatesTheFileAndItsDirectories) {
  EXPECT_TRUE(std::filesystem::exists(dir_.File("nested/dirs/store.db")));
  EXPECT_EQ(db_->backend(), Backend::kSqlite);
}

TEST_F(SqliteDatabaseTest, DurabilityAndTuningPragmasOnEveryConnection) {
  for (bool writer : {true, false}) {
    SCOPED_TRACE(writer ? "writer" : "reader");
    EXPECT_EQ(Pragma("journal_mode", writer), "wal");
    EXPECT_EQ(Pragma("synchronous", writer), "2");  // FULL: a commit is on disk when acknowledged
    EXPECT_EQ(Pragma("foreign_keys", writer), "1");
    EXPECT_EQ(Pragma("busy_timeout", writer), "1234");
    EXPECT_EQ(Pragma("cache_size", writer), "-8192");
    EXPECT_EQ(Pragma("mmap_size", writer), std::to_string(16 * 1024 * 1024));
    EXPECT_EQ(Pragma("temp_store", writer), "2");  // MEMORY
  }
  EXPECT_EQ(Pragma("query_only", false), "1");
  EXPECT_EQ(Pragma("query_only", true), "0");
  // Checkpoints are the writer's, every 10,000 WAL pages (sqlite_connection.cpp).
  EXPECT_EQ(Pragma("wal_autocheckpoint", true), "10000");
}

TEST_F(SqliteDatabaseTest, CommittedWritesSurviveReopening) {
  ASSERT_TRUE(db_->WithWriter([](Connection& c) {
                   return c.ExecScript("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('kept');");
                 })
                  .ok());
  db_.reset();
  auto reopened = Database::Open(url_, options_);
  ASSERT_TRUE(reopened.ok());
  auto x = (*reopened)->Read<std::string>([](Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT x FROM t"));
    return rs.rows.at(0).Text(0);
  });
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(*x, "kept");
}

TEST_F(SqliteDatabaseTest, ForeignKeysAreEnforcedPerJob) {
  ASSERT_TRUE(
      db_->WithWriter([](Connection& c) {
           return c.ExecScript(
               "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
               "CREATE TABLE child (id INTEGER PRIMARY KEY,"
               "  parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);");
         })
          .ok());
  // A deferred violation would fail the group's COMMIT; it is charged to its job.
  Status bad = db_->WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query("INSERT INTO child (id, parent_id) VALUES (1, 99)"));
    return {};
  });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "constraint_violation");
  Status good = db_->WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query("INSERT INTO child (id, parent_id) VALUES (2, 7)"));
    NEMIS_TRY(c.Query("INSERT INTO parent (id) VALUES (7)"));
    return {};
  });
  EXPECT_TRUE(good.ok()) << good.error().message;
}

TEST_F(SqliteDatabaseTest, NestedWriteFromAWriteJobFailsInsteadOfHanging) {
  Status inner = Error::Internal("not run");
  Status outer = db_->WithWriter([&](Connection&) -> Status {
    inner = db_->WithWriter([](Connection&) -> Status { return {}; });
    return {};
  });
  EXPECT_TRUE(outer.ok());
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().kind, ErrorKind::kInternal);
}

TEST_F(SqliteDatabaseTest, GroupCommitsAreCounted) {
  Counter& groups = MetricsRegistry::Global().GetCounter("nemis_store_group_commits_total", "",
                                                         {{"backend", "sqlite"}});
  Counter& jobs = MetricsRegistry::Global().GetCounter("nemis_store_group_commit_jobs_total", "",
                                                       {{"backend", "sqlite"}});
  int64_t groups_before = groups.Value();
  int64_t jobs_before = jobs.Value();
  ASSERT_TRUE(db_->WithWriter([](Connection&) -> Status { return {}; }).ok());
  EXPECT_EQ(groups.Value() - groups_before, 1);
  EXPECT_EQ(jobs.Value() - jobs_before, 1);
}

TEST_F(SqliteDatabaseTest, ReaderLeaseTimesOutWhenAllAreBusy) {
  options_.readers = 1;
  options_.busy_timeout_ms = 100;
  auto db = Database::Open("sqlite:" + dir_.File("one_reader.db"), options_);
  ASSERT_TRUE(db.ok());
  Status inner;
  Status outer = (*db)->WithReader([&](Connection&) -> Status {
    inner = (*db)->WithReader([](Connection&) -> Status { return {}; });
    return {};
  });
  EXPECT_TRUE(outer.ok());
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().code, kStoreUnavailable);
}

// Creates table t on `db`.
void CreateTable(Database& db) {
  ASSERT_TRUE(
      db.WithWriter([](Connection& c) { return c.ExecScript("CREATE TABLE t (x TEXT)"); }).ok());
}

// Loads one row into t with the store to itself; returns the journal mode seen meanwhile.
std::string LoadExclusively(Database& db) {
  std::string during;
  Status s = db.WithExclusiveWriter([&](Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query("PRAGMA journal_mode"));
    during = rs.rows.at(0).Text(0);
    NEMIS_TRY(c.Query("INSERT INTO t VALUES ('loaded')"));
    return {};
  });
  EXPECT_TRUE(s.ok()) << s.error().message;
  return during;
}

// The rows of t, joined with commas.
std::string Rows(Database& db) {
  auto rows = db.Read<std::string>([](Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT x FROM t"));
    std::string out;
    for (const auto& r : rs.rows) out += (out.empty() ? "" : ",") + r.Text(0);
    return out;
  });
  return rows.ok() ? *rows : rows.error().message;
}

// A bulk load with the store to itself writes under a rollback journal, then returns
// the file to WAL and reopens the readers.
TEST_F(SqliteDatabaseTest, AnExclusiveWriterLoadsUnderARollbackJournal) {
  CreateTable(*db_);
  EXPECT_EQ(LoadExclusively(*db_), "delete");
  EXPECT_EQ(Pragma("journal_mode", true), "wal");
  EXPECT_EQ(Pragma("journal_mode", false), "wal");
  EXPECT_EQ(Pragma("query_only", false), "1");  // the readers are readers again
  EXPECT_EQ(Rows(*db_), "loaded");
}

TEST_F(SqliteDatabaseTest, AFailedExclusiveLoadLeavesNothing) {
  CreateTable(*db_);
  Status s = db_->WithExclusiveWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query("INSERT INTO t VALUES ('half')"));
    return Error::Invalid({}, "row 2 is wrong");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "row 2 is wrong");
  EXPECT_EQ(Pragma("journal_mode", true), "wal");
  EXPECT_EQ(Rows(*db_), "");
}

// Another process with the file open keeps it in WAL: the load still commits.
TEST_F(SqliteDatabaseTest, AnExclusiveLoadStaysInWalWhileAnotherConnectionHasTheFile) {
  options_.busy_timeout_ms = 50;
  auto other = Database::Open(url_, options_);
  ASSERT_TRUE(other.ok());
  CreateTable(**other);
  EXPECT_EQ(LoadExclusively(*db_), "wal");
  EXPECT_EQ(Rows(**other), "loaded");
}

// Another process's connection to the file, outside the store (sqlite3 directly).
class RawConnection {
 public:
  explicit RawConnection(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawConnection() { sqlite3_close(db_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  // The first column of the last row `sql` returned, or the error message.
  std::string Exec(const std::string& sql) {
    std::string out;
    char* error = nullptr;
    auto keep = [](void* p, int, char** values, char**) {
      *static_cast<std::string*>(p) = values[0] ? values[0] : "";
      return 0;
    };
    if (sqlite3_exec(db_, sql.c_str(), keep, &out, &error) != SQLITE_OK) {
      out = std::string("error: ") + (error ? error : "?");
      sqlite3_free(error);
    }
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// A store left in rollback-journal mode (as a killed first load leaves it) while another
// process writes: opening waits for the lock (up to busy_timeout_ms) instead of
// failing with "database is locked". The switch to WAL needs the write lock; SQLite's
// busy handler only covers part of that wait, and only once the timeout is set.
class SqliteOpenWhileLockedTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SqliteOpenWhileLockedTest, OpeningWaitsForTheLockInsteadOfFailing) {
  testing::TempDir dir;
  std::string path = dir.File("store.db");
  RawConnection other(path);
  ASSERT_EQ(other.Exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('before')"), "");
  ASSERT_EQ(other.Exec("PRAGMA journal_mode=DELETE"), "delete");
  ASSERT_EQ(other.Exec(GetParam() + "; INSERT INTO t VALUES ('other')"), "");

  Options options;
  options.readers = 1;
  options.busy_timeout_ms = 120000;  // far beyond the hold below: only success is asserted
  std::latch opening(1);
  Result<std::unique_ptr<Database>> opened = Error::Internal("not run");
  std::thread opener([&] {
    opening.count_down();
    opened = Database::Open("sqlite:" + path, options);
  });
  opening.wait();
  // Nothing outside SQLite shows that the opener is waiting; give it time to reach the
  // lock. Were it to come later, the lock would be free and the test would pass without
  // checking the wait, never fail wrongly.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(other.Exec("COMMIT"), "");
  opener.join();
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto rows = (*opened)->Read<std::string>([](Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(ResultSet mode, c.Query("PRAGMA journal_mode"));
    NEMIS_ASSIGN_OR_RETURN(ResultSet count, c.Query("SELECT count(*) FROM t"));
    return mode.rows.at(0).Text(0) + " " + count.rows.at(0).Text(0);
  });
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(*rows, "wal 2");
}

TEST_P(SqliteOpenWhileLockedTest, OpeningFailsAsUnavailableWhenTheLockOutlastsTheTimeout) {
  testing::TempDir dir;
  std::string path = dir.File("store.db");
  RawConnection other(path);
  ASSERT_EQ(other.Exec("CREATE TABLE t (x TEXT); PRAGMA journal_mode=DELETE"), "delete");
  ASSERT_EQ(other.Exec(GetParam()), "");
  Options options;
  options.readers = 1;
  options.busy_timeout_ms = 30;
  auto opened = Database::Open("sqlite:" + path, options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, kStoreUnavailable);
  EXPECT_NE(opened.error().message.find("database is locked"), std::string::npos)
      << opened.error().message;
}

// BEGIN IMMEDIATE: another writer (RESERVED lock); BEGIN EXCLUSIVE: one committing.
INSTANTIATE_TEST_SUITE_P(LockKinds, SqliteOpenWhileLockedTest,
                         ::testing::Values("BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"),
                         [](const auto& info) {
                           return info.index == 0 ? "Reserved" : "Exclusive";
                         });

// Read-only stores (Options::read_only): a copy kept as evidence is read, never written.
class SqliteReadOnlyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("store.db");
    RawConnection raw(path_);
    ASSERT_EQ(
        raw.Exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('kept'); PRAGMA journal_mode=WAL"),
        "wal");
    options_.readers = 1;
    options_.read_only = true;
  }
  // The rows of t joined with commas, or the error.
  std::string Rows(Database& db) {
    auto rows = db.Read<std::string>([](Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT x FROM t ORDER BY x"));
      std::string out;
      for (const auto& r : rs.rows) out += (out.empty() ? "" : ",") + r.Text(0);
      return out;
    });
    return rows.ok() ? *rows : rows.error().message;
  }

  testing::TempDir dir_;
  std::string path_;
  Options options_;
};

TEST_F(SqliteReadOnlyTest, ReadsButRefusesEveryWrite) {
  auto db = Database::Open("sqlite:" + path_, options_);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ(Rows(**db), "kept");
  Status write = (*db)->WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query("INSERT INTO t VALUES ('written')"));
    return {};
  });
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, kStoreUnavailable);
  EXPECT_NE(write.error().message.find("readonly"), std::string::npos) << write.error().message;
  Status raw =
      (*db)->WithRawWriter([](Connection& c) { return c.ExecScript("CREATE TABLE u (y TEXT)"); });
  EXPECT_FALSE(raw.ok());
  EXPECT_EQ(Rows(**db), "kept");
}

TEST_F(SqliteReadOnlyTest, NeverCreatesAStore) {
  std::string missing = dir_.File("absent/store.db");
  auto db = Database::Open("sqlite:" + missing, options_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, kStoreUnavailable);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("absent")));
}

// A store left in a rollback journal stays in it: leaving it would write the file.
TEST_F(SqliteReadOnlyTest, LeavesTheJournalModeAlone) {
  RawConnection raw(path_);
  ASSERT_EQ(raw.Exec("PRAGMA journal_mode=DELETE"), "delete");
  auto size = std::filesystem::file_size(path_);
  auto db = Database::Open("sqlite:" + path_, options_);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ(Rows(**db), "kept");
  db->reset();
  EXPECT_EQ(raw.Exec("PRAGMA journal_mode"), "delete");
  EXPECT_EQ(std::filesystem::file_size(path_), size);
}

// Another process in the middle of a write: a read-only store reads the last commit
// without waiting for the lock, which a writable one needs at once (to leave the
// rollback journal, or to migrate).
TEST_F(SqliteReadOnlyTest, ReadsWhileAnotherProcessHoldsTheWriteLock) {
  RawConnection raw(path_);
  ASSERT_EQ(raw.Exec("BEGIN IMMEDIATE; INSERT INTO t VALUES ('uncommitted')"), "");
  options_.busy_timeout_ms = 50;
  auto db = Database::Open("sqlite:" + path_, options_);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ(Rows(**db), "kept");
  EXPECT_EQ(raw.Exec("COMMIT"), "");
  EXPECT_EQ(Rows(**db), "kept,uncommitted");
}

// An evidence copy on read-only media: SQLite cannot create the -shm file a WAL store
// needs. Needs a private mount namespace (root or CAP_SYS_ADMIN), made by a child process
// so that nothing here is mounted for anyone else.
TEST_F(SqliteReadOnlyTest, ReadsACopyOnReadOnlyMedia) {
  std::string media = dir_.File("media");
  std::filesystem::create_directories(media);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // 3: no namespace for this test; 4: mounting failed; 1: open failed; 2: wrong rows.
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      ::_exit(3);
    if (::mount("tmpfs", media.c_str(), "tmpfs", 0, "size=16m") != 0) ::_exit(4);
    std::error_code ec;
    std::filesystem::copy_file(path_, media + "/store.db", ec);
    if (ec || ::mount(nullptr, media.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) != 0)
      ::_exit(4);
    auto db = Database::Open("sqlite:" + media + "/store.db", options_);
    if (!db.ok()) ::_exit(1);
    ::_exit(Rows(**db) == "kept" ? 0 : 2);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 3 || WEXITSTATUS(status) == 4) GTEST_SKIP() << "cannot mount here";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the copy did not open, 2: it read wrong rows";
}

}  // namespace
}  // namespace nemis::db
