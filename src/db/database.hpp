// The store: one interface over two back ends, SQLite (embedded, WAL) and PostgreSQL
// (libpq). SQL is written once with PostgreSQL-style placeholders ($1, $2, ...); the
// SQLite back end binds them by number. Statements are prepared once per connection
// and cached by their text. Only this module includes sqlite3.h or libpq-fe.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.hpp"
#include "db/write_attachment.hpp"

namespace nemis::db {

enum class Backend { kSqlite, kPostgres };

/// A borrowed parameter: text is not copied, so it must outlive the call.
class Param {
 public:
  Param() = default;                                        // NULL
  Param(std::nullptr_t) {}                                  // NOLINT NULL
  Param(int64_t v) : v_(v) {}                               // NOLINT
  Param(int v) : v_(static_cast<int64_t>(v)) {}             // NOLINT
  Param(double v) : v_(v) {}                                // NOLINT
  Param(std::string_view v) : v_(v) {}                      // NOLINT
  Param(const std::string& v) : v_(std::string_view(v)) {}  // NOLINT
  Param(const char* v) : v_(std::string_view(v)) {}         // NOLINT
  template <class T>
  Param(const std::optional<T>& v) {  // NOLINT
    if (v) *this = Param(*v);
  }
  bool IsNull() const { return v_.index() == 0; }
  const std::variant<std::monostate, int64_t, double, std::string_view>& get() const { return v_; }

 private:
  std::variant<std::monostate, int64_t, double, std::string_view> v_;
};

/// An owned column value. PostgreSQL integer columns arrive as int64_t; text as std::string.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

/// Whether writing `p` would store what `v` already holds: NULL for NULL, the same integer,
/// real or text. Values of different kinds (an integer against text) are not the same, so a
/// caller skipping writes of the same value only ever writes more than it must.
bool SameValue(const Param& p, const Value& v);

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return values_.at(i).index() == 0; }
  /// The column as an integer (text is parsed); 0 when NULL.
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
  /// The column as text (numbers are formatted); empty when NULL.
  std::string Text(size_t i) const;
  std::optional<std::string> OptText(size_t i) const;
  std::optional<int64_t> OptInt(size_t i) const;
  const Value& at(size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
};

/// Appends many rows to one table inside the current transaction: COPY on
/// PostgreSQL, a cached prepared INSERT on SQLite.
class BulkInserter {
 public:
  virtual ~BulkInserter() = default;
  /// One value per column given to BeginBulkInsert.
  virtual Status AddRow(std::span<const Param> values) = 0;
  /// Flushes what is buffered; the rows are visible in the transaction after this.
  virtual Status Finish() = 0;
};

/// Error codes from the store (Error::code) that callers may act on.
inline constexpr std::string_view kUniqueViolation = "unique_violation";
inline constexpr std::string_view kStoreUnavailable = "store_unavailable";

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Backend backend() const = 0;
  /// Runs one statement with $1..$n placeholders. A unique-constraint failure is
  /// Error{kConflict, "unique_violation", message naming the constraint}.
  virtual Result<ResultSet> Query(std::string_view sql, std::span<const Param> params = {}) = 0;
  Result<ResultSet> Query(std::string_view sql, std::initializer_list<Param> params) {
    return Query(sql, std::span<const Param>(params.begin(), params.size()));
  }
  /// What a deferred statement's failure becomes for the transaction (the caller's
  /// meaning of it, e.g. "the audit log refused the entry"); unset: the store's error.
  using DeferredFailure = std::function<Error(const Error&)>;
  /// Runs one statement whose result the caller does not need (an outbox row, an audit
  /// entry). PostgreSQL holds it and sends it with the transaction's next statement or
  /// its commit, in the same round trip (pipeline mode); its failure then fails that
  /// statement or the commit, and so the transaction. SQLite runs it at once.
  virtual Status Defer(std::string_view sql, std::span<const Param> params,
                       const DeferredFailure& on_failure = {}) {
    auto ran = Query(sql, params);
    if (ran.ok()) return {};
    return on_failure ? on_failure(ran.error()) : std::move(ran).error();
  }
  Status Defer(std::string_view sql, std::initializer_list<Param> params,
               const DeferredFailure& on_failure = {}) {
    return Defer(sql, std::span<const Param>(params.begin(), params.size()), on_failure);
  }
  /// Runs several ;-separated statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  virtual Result<std::unique_ptr<BulkInserter>> BeginBulkInsert(
      std::string_view table, std::span<const std::string> columns) = 0;
};

struct Options {
  int readers = 4;    // SQLite read connections
  int pool_size = 8;  // PostgreSQL connections
  int sqlite_cache_mb = 256;
  int sqlite_mmap_mb = 1024;
  int group_commit_max = 256;  // SQLite: most write jobs committed together
  int busy_timeout_ms = 5000;  // waiting for a connection or a lock
  // Never write (checking a copy kept as evidence, a read-only replica or a full disk):
  // SQLite opens the file read-only and leaves its journal mode alone; PostgreSQL
  // sessions default to read-only transactions. Writes fail; migrations are the caller's
  // to skip.
  bool read_only = false;
};

class Database {
 public:
  /// "sqlite:PATH" (the file is created) or "postgresql://..." / "postgres://...".
  static Result<std::unique_ptr<Database>> Open(const std::string& url, const Options& options);
  virtual ~Database() = default;
  virtual Backend backend() const = 0;

  /// Runs `work` on a read connection (inside a read transaction, so it sees one
  /// snapshot). Blocks the calling thread: call it from a worker, never from I/O.
  virtual Status WithReader(const std::function<Status(Connection&)>& work) = 0;

  /// Runs `work` in a write transaction: committed when it returns ok, rolled back
  /// (and nothing of it kept) when it returns an error. On SQLite, writes waiting
  /// together share one commit (group commit); each still succeeds or fails alone.
  /// An acknowledged write survives a crash. An `attachment` runs in the same
  /// transaction after `work`, and its failure rolls the write back (write_attachment.hpp).
  Status WithWriter(const std::function<Status(Connection&)>& work,
                    WriteAttachment* attachment = nullptr);

  /// Runs `work` on a connection outside any transaction (VACUUM, COPY-based bulk
  /// loads that manage their own transactions). Serialised with writers on SQLite.
  virtual Status WithRawWriter(const std::function<Status(Connection&)>& work) = 0;

  /// WithWriter for a bulk load with the store to itself (`nemis import`, never a
  /// serving node). On SQLite the read connections are closed meanwhile (reads wait,
  /// and fail after the busy timeout; `work` reads through its own connection) and the
  /// file uses a rollback journal instead of the WAL: a load bigger than the page cache
  /// then writes each page once, not twice (into the WAL, then by the checkpoint). When
  /// another process has the file open, it runs in WAL like WithWriter.
  virtual Status WithExclusiveWriter(const std::function<Status(Connection&)>& work) {
    return WithWriter(work);
  }

  /// Checks the store answers (for /readyz).
  virtual Status Ping() = 0;

  /// Convenience: Read/Write returning a value.
  template <class T>
  Result<T> Read(const std::function<Result<T>(Connection&)>& work) {
    return Returning<T>(
        [this](const std::function<Status(Connection&)>& w) { return WithReader(w); }, work);
  }
  template <class T>
  Result<T> Write(const std::function<Result<T>(Connection&)>& work,
                  WriteAttachment* attachment = nullptr) {
    return Returning<T>(
        [this, attachment](const std::function<Status(Connection&)>& w) {
          return WithWriter(w, attachment);
        },
        work);
  }

 protected:
  /// One write transaction around `work`, as WithWriter describes.
  virtual Status RunWriteTransaction(const std::function<Status(Connection&)>& work) = 0;

 private:
  template <class T, class Run>
  Result<T> Returning(const Run& run, const std::function<Result<T>(Connection&)>& work) {
    std::optional<T> out;
    Status s = run([&](Connection& c) -> Status {
      auto r = work(c);
      if (!r.ok()) return std::move(r).error();
      out.emplace(std::move(r).value());
      return {};
    });
    if (!s.ok()) return std::move(s).error();
    return std::move(*out);
  }
};

}  // namespace nemis::db
