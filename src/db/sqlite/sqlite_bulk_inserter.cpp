#include "db/sqlite/sqlite_bulk_inserter.hpp"

#include "db/internal/quote_identifier.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "db/sqlite/sqlite_errors.hpp"
#include "db/sqlite/statement_cache.hpp"

namespace nemis::db::sqlite {
namespace {

constexpr std::string_view kBegin = "BEGIN IMMEDIATE";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";

// INSERT INTO "t" ("a","b") VALUES ($1,$2)
std::string InsertSql(std::string_view table, std::span<const std::string> columns) {
  std::string sql = "INSERT INTO " + QuoteIdentifier(table) + " " + QuotedColumnList(columns) + " VALUES (";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i > 0 ? ",$" : "$") + std::to_string(i + 1);
  return sql + ")";
}

}  // namespace

Result<std::unique_ptr<BulkInserter>> SqliteBulkInserter::Begin(SqliteConnection& connection,
                                                                std::string_view table,
                                                                std::span<const std::string> columns) {
  if (columns.empty()) return Error::Internal("bulk insert needs at least one column");
  // Its own statement, not the connection's cache: the cache may evict while the
  // caller runs other queries between rows.
  NEMIS_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, PrepareStatement(connection.handle(), InsertSql(table, columns)));
  bool own_transaction = !connection.InTransaction();
  if (own_transaction) {
    if (Status s = connection.Exec(kBegin); !s.ok()) {
      sqlite3_finalize(stmt);
      return std::move(s).error();
    }
  }
  return std::unique_ptr<BulkInserter>(new SqliteBulkInserter(connection, stmt, columns.size(), own_transaction));
}

SqliteBulkInserter::~SqliteBulkInserter() {
  sqlite3_finalize(stmt_);
  if (own_transaction_ && !finished_ && connection_.InTransaction()) (void)connection_.Exec(kRollback);
}

Status SqliteBulkInserter::AddRow(std::span<const Param> values) {
  if (finished_) return Error::Internal("bulk insert: AddRow after Finish");
  if (values.size() != columns_) {
    return Error::Internal("bulk insert: " + std::to_string(values.size()) + " values for " +
                           std::to_string(columns_) + " columns");
  }
  sqlite3* db = connection_.handle();
  if (Status bound = BindParams(db, stmt_, values); !bound.ok()) return connection_.Fail(std::move(bound).error());
  if (sqlite3_step(stmt_) == SQLITE_DONE) {
    sqlite3_reset(stmt_);
    return {};
  }
  Error error = SqliteError(db);
  sqlite3_reset(stmt_);
  return connection_.Fail(std::move(error));
}

Status SqliteBulkInserter::Finish() {
  if (finished_) return {};
  finished_ = true;
  sqlite3_clear_bindings(stmt_);
  if (!own_transaction_) return {};
  if (Status s = connection_.Exec(kCommit); !s.ok()) {
    (void)connection_.Exec(kRollback);
    return s;
  }
  return {};
}

}  // namespace nemis::db::sqlite
