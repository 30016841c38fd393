// One SQLite connection: pragmas applied on open, statements cached by SQL text,
// values bound by number. Used by one thread at a time (the writer thread, or the
// caller holding a reader lease), so it is opened without SQLite's own mutex.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "db/database.hpp"
#include "db/sqlite/statement_cache.hpp"

namespace nemis::db::sqlite {

enum class Role { kWriter, kReader };

class SqliteConnection final : public Connection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path,
                                                        const Options& options, Role role);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Backend backend() const override { return Backend::kSqlite; }
  Result<ResultSet> Query(std::string_view sql, std::span<const Param> params) override;
  using Connection::Query;
  Status ExecScript(std::string_view sql) override;
  Result<std::unique_ptr<BulkInserter>> BeginBulkInsert(
      std::string_view table, std::span<const std::string> columns) override;

  /// Runs a parameterless statement (BEGIN, COMMIT, SAVEPOINT ...) from the cache.
  Status Exec(std::string_view sql);
  /// True between BEGIN and COMMIT/ROLLBACK (SQLite leaves autocommit mode).
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  /// True when deferred foreign-key violations are pending; COMMIT would fail.
  bool HasDeferredForeignKeyViolations() const;
  sqlite3* handle() { return db_; }

  /// Forgets failed statements seen so far: call at the start of each unit of work.
  void StartTransactionTracking() { first_failure_.reset(); }
  /// The first statement failure since tracking started. Work that swallowed it still
  /// fails, as it must on PostgreSQL (which aborts the transaction), so code behaves
  /// the same on both back ends.
  const std::optional<Error>& first_failure() const { return first_failure_; }
  /// Records a failure for first_failure() and returns it.
  Error Fail(Error error);

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Status ApplyPragmas(const Options& options, Role role);
  Status SwitchToWal(int busy_timeout_ms);

  sqlite3* db_;
  StatementCache cache_;
  std::optional<Error> first_failure_;
};

/// Binds `params` to ?1..?n of `stmt` (text is borrowed: SQLITE_STATIC).
Status BindParams(sqlite3* db, sqlite3_stmt* stmt, std::span<const Param> params);

}  // namespace nemis::db::sqlite
