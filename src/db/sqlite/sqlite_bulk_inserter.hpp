// Bulk insert on SQLite: one prepared INSERT reused for every row. Inside the caller's
// transaction when there is one; otherwise (a raw writer) it opens its own, committed
// by Finish, so a load is never one fsync per row.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "db/database.hpp"

namespace nemis::db::sqlite {

class SqliteConnection;

class SqliteBulkInserter final : public BulkInserter {
 public:
  static Result<std::unique_ptr<BulkInserter>> Begin(SqliteConnection& connection, std::string_view table,
                                                     std::span<const std::string> columns);
  ~SqliteBulkInserter() override;

  Status AddRow(std::span<const Param> values) override;
  Status Finish() override;

 private:
  SqliteBulkInserter(SqliteConnection& connection, sqlite3_stmt* stmt, size_t columns, bool own_transaction)
      : connection_(connection), stmt_(stmt), columns_(columns), own_transaction_(own_transaction) {}

  SqliteConnection& connection_;
  sqlite3_stmt* stmt_;
  size_t columns_;
  bool own_transaction_;
  bool finished_ = false;
};

}  // namespace nemis::db::sqlite
