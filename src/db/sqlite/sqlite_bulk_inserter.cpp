#include "db/sqlite/sqlite_bulk_inserter.hpp"

#include <algorithm>

#include "db/internal/quote_identifier.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "db/sqlite/sqlite_errors.hpp"
#include "db/sqlite/statement_cache.hpp"

namespace nemis::db::sqlite {
namespace {

constexpr std::string_view kBegin = "BEGIN IMMEDIATE";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";

// INSERT INTO "t" ("a","b") VALUES ($1,$2),($3,$4)...
std::string InsertSql(std::string_view table, std::span<const std::string> columns, size_t rows) {
  std::string sql =
      "INSERT INTO " + QuoteIdentifier(table) + " " + QuotedColumnList(columns) + " VALUES ";
  size_t n = 0;
  for (size_t r = 0; r < rows; ++r) {
    sql += r > 0 ? ",(" : "(";
    for (size_t c = 0; c < columns.size(); ++c) sql += (c > 0 ? ",$" : "$") + std::to_string(++n);
    sql += ")";
  }
  return sql;
}

}  // namespace

SqliteBulkInserter::SqliteBulkInserter(SqliteConnection& connection, std::string table,
                                       std::vector<std::string> columns, bool own_transaction)
    : connection_(connection),
      table_(std::move(table)),
      columns_(std::move(columns)),
      own_transaction_(own_transaction) {
  // SQLite caps the parameters of one statement (32766 by default).
  auto max_params =
      static_cast<size_t>(sqlite3_limit(connection.handle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1));
  rows_per_statement_ = std::clamp<size_t>(max_params / columns_.size(), 1, kRowsPerStatement);
  slots_.reserve(rows_per_statement_ * columns_.size());
}

Result<std::unique_ptr<BulkInserter>> SqliteBulkInserter::Begin(
    SqliteConnection& connection, std::string_view table, std::span<const std::string> columns) {
  if (columns.empty()) return Error::Internal("bulk insert needs at least one column");
  bool own_transaction = !connection.InTransaction();
  if (own_transaction) NEMIS_TRY(connection.Exec(kBegin));
  std::unique_ptr<SqliteBulkInserter> inserter(new SqliteBulkInserter(
      connection, std::string(table), std::vector<std::string>(columns.begin(), columns.end()),
      own_transaction));
  // Prepared now, so a bad table or column name fails here rather than at a later row.
  NEMIS_TRY(inserter->Statement(1));
  return std::unique_ptr<BulkInserter>(std::move(inserter));
}

SqliteBulkInserter::~SqliteBulkInserter() {
  sqlite3_finalize(batch_stmt_);
  sqlite3_finalize(single_stmt_);
  if (own_transaction_ && !finished_ && connection_.InTransaction())
    (void)connection_.Exec(kRollback);
}

// Its own statements, not the connection's cache: the cache may evict them while the
// caller runs other queries between rows.
Result<sqlite3_stmt*> SqliteBulkInserter::Statement(size_t rows) {
  sqlite3_stmt*& stmt = rows == 1 ? single_stmt_ : batch_stmt_;
  if (stmt == nullptr) {
    auto prepared = PrepareStatement(connection_.handle(), InsertSql(table_, columns_, rows));
    if (!prepared.ok()) return connection_.Fail(std::move(prepared).error());
    stmt = prepared.value();
  }
  return stmt;
}

Status SqliteBulkInserter::AddRow(std::span<const Param> values) {
  if (finished_) return Error::Internal("bulk insert: AddRow after Finish");
  if (values.size() != columns_.size()) {
    return connection_.Fail(Error::Internal("bulk insert: " + std::to_string(values.size()) +
                                            " values for " + std::to_string(columns_.size()) +
                                            " columns"));
  }
  for (const Param& p : values) {
    const auto& v = p.get();
    Slot slot{Slot::Kind::kNull, 0, 0.0, 0, 0};
    if (const auto* n = std::get_if<int64_t>(&v)) {
      slot.kind = Slot::Kind::kInt;
      slot.integer = *n;
    } else if (const auto* d = std::get_if<double>(&v)) {
      slot.kind = Slot::Kind::kReal;
      slot.real = *d;
    } else if (const auto* s = std::get_if<std::string_view>(&v)) {
      slot = Slot{Slot::Kind::kText, 0, 0.0, arena_.size(), s->size()};
      arena_.append(*s);
    }
    slots_.push_back(slot);
  }
  if (slots_.size() >= rows_per_statement_ * columns_.size()) return Flush();
  return {};
}

// Writes the pending rows: a full batch as one statement, a partial one (the tail,
// from Finish) a row at a time.
Status SqliteBulkInserter::Flush() {
  size_t rows = slots_.size() / columns_.size();
  size_t done = 0;
  Status status;
  if (rows == rows_per_statement_) {
    auto stmt = Statement(rows);
    status = stmt.ok() ? Run(*stmt, 0, rows) : Status(std::move(stmt).error());
    done = rows;
  }
  for (; status.ok() && done < rows; ++done) {
    auto stmt = Statement(1);
    status = stmt.ok() ? Run(*stmt, done * columns_.size(), 1) : Status(std::move(stmt).error());
  }
  slots_.clear();
  arena_.clear();
  return status;
}

Status SqliteBulkInserter::Run(sqlite3_stmt* stmt, size_t first_slot, size_t rows) {
  sqlite3* db = connection_.handle();
  int index = 0;
  for (size_t i = first_slot; i < first_slot + rows * columns_.size(); ++i) {
    const Slot& slot = slots_[i];
    ++index;
    int rc = SQLITE_OK;
    switch (slot.kind) {
      case Slot::Kind::kInt:
        rc = sqlite3_bind_int64(stmt, index, slot.integer);
        break;
      case Slot::Kind::kReal:
        rc = sqlite3_bind_double(stmt, index, slot.real);
        break;
      case Slot::Kind::kNull:
        rc = sqlite3_bind_null(stmt, index);
        break;
      case Slot::Kind::kText:
        // arena_ does not change until the statement has run.
        rc = sqlite3_bind_text64(stmt, index, arena_.data() + slot.offset, slot.size, SQLITE_STATIC,
                                 SQLITE_UTF8);
        break;
    }
    if (rc != SQLITE_OK) return connection_.Fail(SqliteError(db, "bind"));
  }
  if (sqlite3_step(stmt) == SQLITE_DONE) {
    sqlite3_reset(stmt);
    return {};
  }
  Error error = SqliteError(db);
  sqlite3_reset(stmt);
  return connection_.Fail(std::move(error));
}

Status SqliteBulkInserter::Finish() {
  if (finished_) return {};
  Status flushed = Flush();
  finished_ = true;
  if (!own_transaction_) return flushed;
  if (!flushed.ok()) {
    (void)connection_.Exec(kRollback);
    return flushed;
  }
  if (Status s = connection_.Exec(kCommit); !s.ok()) {
    (void)connection_.Exec(kRollback);
    return s;
  }
  return {};
}

}  // namespace nemis::db::sqlite
