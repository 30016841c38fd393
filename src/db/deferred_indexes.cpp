#include "db/deferred_indexes.hpp"

#include <algorithm>
#include <thread>

#include "db/internal/quote_identifier.hpp"

namespace nemis::db {
namespace {

// Indexes SQLite creates for UNIQUE/PRIMARY KEY clauses have no SQL and cannot be dropped.
constexpr std::string_view kSqliteIndexes =
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name";
// Indexes backing a constraint (the primary key) share the constraint's name.
constexpr std::string_view kPostgresIndexes =
    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename = $1 "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname AND k.conrelid = to_regclass($1)) "
    "ORDER BY i.indexname";
// PostgreSQL sorts an index build in maintenance_work_mem (64 MB by default) and spills
// to disk beyond it; a bulk load is worth a larger sort area for its own transaction.
constexpr std::string_view kPostgresSortMemory = "SET LOCAL maintenance_work_mem = '1GB'";

}  // namespace

Result<DeferredIndexes> DeferredIndexes::Drop(Connection& c, std::string_view table,
                                              std::initializer_list<std::string_view> keep) {
  bool sqlite = c.backend() == Backend::kSqlite;
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sqlite ? kSqliteIndexes : kPostgresIndexes, {table}));
  DeferredIndexes out;
  for (const auto& row : rs.rows)
    if (std::find(keep.begin(), keep.end(), row.Text(0)) == keep.end())
      out.indexes_.push_back({row.Text(0), row.Text(1)});
  for (const auto& index : out.indexes_)
    NEMIS_TRY(c.ExecScript("DROP INDEX " + QuoteIdentifier(index.name)));
  return out;
}

Status DeferredIndexes::Rebuild(Connection& c) const {
  bool sqlite = c.backend() == Backend::kSqlite;
  // SQLite's sorter may use helper threads, but only when asked to, per connection.
  if (sqlite)
    NEMIS_TRY(
        c.ExecScript("PRAGMA threads = " + std::to_string(std::thread::hardware_concurrency())));
  else
    NEMIS_TRY(c.ExecScript(kPostgresSortMemory));
  Status status;
  for (const auto& index : indexes_) {
    status = c.ExecScript(index.sql);
    if (!status.ok()) break;
  }
  if (sqlite) {
    Status reset = c.ExecScript("PRAGMA threads = 0");
    if (status.ok()) status = reset;
  }
  return status;
}

std::vector<std::string> DeferredIndexes::names() const {
  std::vector<std::string> out;
  for (const auto& index : indexes_) out.push_back(index.name);
  return out;
}

}  // namespace nemis::db
