// Versioned schema migrations, applied in order inside one transaction each and
// recorded in schema_migrations. Run by `nemis migrate` and on every start.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::db {

struct Migration {
  int version;
  std::string name;
  std::string sqlite;    // script for SQLite
  std::string postgres;  // script for PostgreSQL
};

/// Builds a migration from one script written for both back ends, with tokens:
/// {{id}} an auto-assigned 64-bit primary key, {{real}} a double column,
/// {{bytewise}} byte-order collation for an indexed text column (see BytewiseCollation).
Migration PortableMigration(int version, std::string name, std::string_view script);

/// Every migration, in version order.
const std::vector<Migration>& Migrations();

/// Applies the migrations the store has not seen; returns how many were applied.
/// A store newer than this binary (unknown versions) is refused.
Result<int> Migrate(Database& db);
/// Applies the migrations up to `version` only (tests of data written by older versions).
Result<int> MigrateTo(Database& db, int version);

/// What to append to a text column in a comparison so it uses a {{bytewise}} index.
inline std::string_view BytewiseCollation(Backend b) {
  return b == Backend::kSqlite ? "" : " COLLATE \"C\"";
}

/// The highest applied version (0 for an empty store).
Result<int> SchemaVersion(Database& db);

}  // namespace nemis::db
