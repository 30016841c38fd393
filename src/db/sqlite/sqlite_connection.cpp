#include "db/sqlite/sqlite_connection.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "db/sqlite/sqlite_bulk_inserter.hpp"
#include "db/sqlite/sqlite_errors.hpp"

namespace nemis::db::sqlite {
namespace {

// Resets the statement (and drops borrowed bindings) however the query ends, so a
// cached statement never holds a read snapshot open or points at freed text.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetOnExit() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_NULL:
      return std::monostate{};
    default: {  // TEXT, BLOB: bytes as they are
      const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      return std::string(data == nullptr ? "" : data,
                         static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
    }
  }
}

Result<ResultSet> Collect(sqlite3* db, sqlite3_stmt* stmt) {
  ResultSet out;
  int ncols = sqlite3_column_count(stmt);
  out.columns.reserve(static_cast<size_t>(ncols));
  for (int i = 0; i < ncols; ++i) out.columns.emplace_back(sqlite3_column_name(stmt, i));
  int64_t changes_before = sqlite3_total_changes64(db);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(ncols));
    for (int i = 0; i < ncols; ++i) values.push_back(ColumnValue(stmt, i));
    out.rows.emplace_back(std::move(values));
  }
  if (rc != SQLITE_DONE) return SqliteError(db);
  // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE even after a
  // SELECT or DDL statement: only trust it when this statement changed something.
  if (sqlite3_total_changes64(db) != changes_before) out.affected = sqlite3_changes64(db);
  return out;
}

constexpr std::string_view kSwitchToWal = "PRAGMA journal_mode=WAL";
constexpr std::string_view kReadProbe = "PRAGMA schema_version";  // reads the first page

Result<sqlite3*> OpenHandle(const std::string& name, int flags, const Options& options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(name.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = db ? SqliteError(db, "open " + name)
                     : Error::Unavailable("open " + name + ": out of memory");
    sqlite3_close_v2(db);
    return error;
  }
  sqlite3_extended_result_codes(db, 1);
  // Before any statement: the first ones may already need a lock another process holds.
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  return db;
}

// "file:" URI of `path` that tells SQLite the file cannot change (immutable=1).
std::string ImmutableUri(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '?' || c == '#' || c == '%') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[static_cast<unsigned char>(c) >> 4];
      uri += kHex[c & 15];
    } else {
      uri += c;
    }
  }
  return uri + "?mode=ro&immutable=1";
}

// A read-only connection to a WAL file needs its -shm file, which it cannot create in a
// directory it may not write (an evidence copy on read-only media). When the first read
// fails for that reason, nobody has the file open in WAL mode (they would have made the
// -shm file), so it is opened again as immutable: SQLite then reads it without locks.
Result<sqlite3*> OpenReadOnly(const std::string& path, const Options& options) {
  NEMIS_ASSIGN_OR_RETURN(sqlite3 * db,
                         OpenHandle(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, options));
  int rc = sqlite3_exec(db, std::string(kReadProbe).c_str(), nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return db;
  bool no_shm = (rc & 0xff) == SQLITE_CANTOPEN || rc == SQLITE_READONLY_CANTINIT;
  if (!no_shm) {
    Error error = SqliteError(db, "open " + path + " read-only");
    sqlite3_close_v2(db);
    return error;
  }
  sqlite3_close_v2(db);
  return OpenHandle(ImmutableUri(path),
                    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, options);
}

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 const Options& options,
                                                                 Role role) {
  sqlite3* db = nullptr;
  if (options.read_only) {
    NEMIS_ASSIGN_OR_RETURN(db, OpenReadOnly(path, options));
  } else {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      return Error::Unavailable("cannot create the directory " + parent.string() + ": " +
                                ec.message());
    NEMIS_ASSIGN_OR_RETURN(
        db, OpenHandle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       options));
  }
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  NEMIS_TRY(connection->ApplyPragmas(options, role));
  return connection;
}

SqliteConnection::~SqliteConnection() {
  cache_.Clear();
  sqlite3_close_v2(db_);
}

Status SqliteConnection::ApplyPragmas(const Options& options, Role role) {
  if (role == Role::kWriter && !options.read_only) {
    // WAL lets readers keep a snapshot while the writer commits; the mode is stored
    // in the file, so only the writer (opened first) sets it.
    NEMIS_TRY(SwitchToWal(options.busy_timeout_ms));
  }
  std::string pragmas =
      // FULL: an acknowledged commit is on disk (WAL fsync per commit), which the
      // group-commit writer makes affordable.
      "PRAGMA synchronous=FULL;"
      "PRAGMA foreign_keys=ON;"
      "PRAGMA temp_store=MEMORY;"
      "PRAGMA cache_size=-" +
      std::to_string(int64_t{options.sqlite_cache_mb} * 1024) +
      ";"
      "PRAGMA mmap_size=" +
      std::to_string(int64_t{options.sqlite_mmap_mb} * 1024 * 1024) + ";";
  // Readers must never write, even by mistake: writes belong to the writer thread.
  if (role == Role::kReader) pragmas += "PRAGMA query_only=ON;";
  // The writer copies the WAL into the file every 10,000 pages (40 MB) instead of SQLite's
  // 1,000: a page written again and again (an index's, under a stream of inserts) is copied
  // once per checkpoint, not once per 4 MB. A province's log applied on the national node
  // went 10% faster (bench/RESULTS.md); readers find a page in a longer WAL through its hash
  // index all the same.
  if (role == Role::kWriter) pragmas += "PRAGMA wal_autocheckpoint=10000;";
  return ExecScript(pragmas);
}

// SQLite's busy handler waits for a lock another connection holds exclusively, but
// not for a read transaction to become a write one, which leaving a rollback journal
// needs: while another connection writes (RESERVED lock) the switch fails at once. So
// it is retried here, pausing as SQLite's own handler does, until the busy timeout.
Status SqliteConnection::SwitchToWal(int busy_timeout_ms) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    std::string mode;
    auto keep = [](void* out, int, char** values, char**) {
      *static_cast<std::string*>(out) = values[0] ? values[0] : "";
      return 0;
    };
    int rc = sqlite3_exec(db_, std::string(kSwitchToWal).c_str(), keep, &mode, nullptr);
    if (rc == SQLITE_OK) {
      if (mode == "wal") return {};
      return Error::Unavailable("SQLite refused WAL journal mode");
    }
    if ((rc & 0xff) != SQLITE_BUSY || Clock::now() + pause > deadline) {
      return SqliteError(db_, kSwitchToWal);
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

Result<ResultSet> SqliteConnection::Query(std::string_view sql, std::span<const Param> params) {
  auto prepared = cache_.Get(db_, sql);
  if (!prepared.ok()) return Fail(std::move(prepared).error());
  sqlite3_stmt* stmt = prepared.value();
  ResetOnExit reset(stmt);
  if (Status bound = BindParams(db_, stmt, params); !bound.ok())
    return Fail(std::move(bound).error());
  auto result = Collect(db_, stmt);
  if (!result.ok()) return Fail(std::move(result).error());
  return result;
}

Error SqliteConnection::Fail(Error error) {
  if (!first_failure_) first_failure_ = error;
  return error;
}

Status SqliteConnection::Exec(std::string_view sql) {
  NEMIS_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, cache_.Get(db_, sql));
  ResetOnExit reset(stmt);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return SqliteError(db_, sql);
  return {};
}

Status SqliteConnection::ExecScript(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  Error error = SqliteError(sqlite3_extended_errcode(db_), message ? message : sqlite3_errstr(rc));
  sqlite3_free(message);
  return Fail(std::move(error));
}

bool SqliteConnection::HasDeferredForeignKeyViolations() const {
  int current = 0;
  int highwater = 0;
  sqlite3_db_status(db_, SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highwater, 0);
  return current > 0;
}

Result<std::unique_ptr<BulkInserter>> SqliteConnection::BeginBulkInsert(
    std::string_view table, std::span<const std::string> columns) {
  return SqliteBulkInserter::Begin(*this, table, columns);
}

Status BindParams(sqlite3* db, sqlite3_stmt* stmt, std::span<const Param> params) {
  int expected = sqlite3_bind_parameter_count(stmt);
  if (static_cast<size_t>(expected) != params.size()) {
    return Error::Internal("the statement takes " + std::to_string(expected) + " parameters, " +
                           std::to_string(params.size()) + " given");
  }
  for (int i = 0; i < expected; ++i) {
    const auto& v = params[static_cast<size_t>(i)].get();
    int rc = SQLITE_OK;
    if (const auto* n = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, i + 1, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, i + 1, *d);
    } else if (const auto* s = std::get_if<std::string_view>(&v)) {
      // A null data pointer would bind NULL; an empty string_view means "".
      rc = sqlite3_bind_text64(stmt, i + 1, s->data() ? s->data() : "", s->size(), SQLITE_STATIC,
                               SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(stmt, i + 1);
    }
    if (rc != SQLITE_OK) return SqliteError(db, "bind");
  }
  return {};
}

}  // namespace nemis::db::sqlite
