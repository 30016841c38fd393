#include "db/deferred_foreign_keys.hpp"

#include "db/internal/quote_identifier.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kForeignKeys =
    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE conrelid = to_regclass($1) AND contype = 'f' ORDER BY conname";

}  // namespace

Result<DeferredForeignKeys> DeferredForeignKeys::Drop(Connection& c, std::string_view table) {
  DeferredForeignKeys out;
  out.table_ = QuoteIdentifier(table);
  if (c.backend() == Backend::kSqlite) return out;
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kForeignKeys, {table}));
  for (const auto& row : rs.rows) out.constraints_.push_back({row.Text(0), row.Text(1)});
  for (const auto& k : out.constraints_)
    NEMIS_TRY(
        c.ExecScript("ALTER TABLE " + out.table_ + " DROP CONSTRAINT " + QuoteIdentifier(k.name)));
  return out;
}

Status DeferredForeignKeys::Restore(Connection& c) const {
  for (const auto& k : constraints_)
    NEMIS_TRY(c.ExecScript("ALTER TABLE " + table_ + " ADD CONSTRAINT " + QuoteIdentifier(k.name) +
                           " " + k.definition));
  return {};
}

std::vector<std::string> DeferredForeignKeys::names() const {
  std::vector<std::string> out;
  for (const auto& k : constraints_) out.push_back(k.name);
  return out;
}

}  // namespace nemis::db
