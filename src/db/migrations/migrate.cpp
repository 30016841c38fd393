#include "db/migrations/migrate.hpp"

#include <chrono>

#include "base/date.hpp"
#include "base/log.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";
constexpr std::string_view kSelectVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr std::string_view kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";

Result<int> CurrentVersion(Connection& c) {
  NEMIS_TRY(c.ExecScript(kCreateMigrationsTable));
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectVersion));
  return static_cast<int>(rs.rows.at(0).Int(0));
}

}  // namespace

Result<int> SchemaVersion(Database& db) {
  return db.Write<int>([](Connection& c) { return CurrentVersion(c); });
}

Result<int> Migrate(Database& db) { return MigrateTo(db, Migrations().back().version); }

Result<int> MigrateTo(Database& db, int target) {
  int applied = 0;
  int latest = Migrations().back().version;
  for (const auto& m : Migrations()) {
    if (m.version > target) break;
    // One transaction per migration: a failed migration leaves the previous version intact.
    Status s = db.WithWriter([&](Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(int current, CurrentVersion(c));
      if (current > latest)
        return Error::Conflict("schema_too_new", "数据库结构版本 " + std::to_string(current) +
                                                     " 高于本程序支持的版本 " +
                                                     std::to_string(latest));
      if (current >= m.version) return {};
      NEMIS_TRY(c.ExecScript(c.backend() == Backend::kSqlite ? m.sqlite : m.postgres));
      std::string now = FormatUtc(std::chrono::system_clock::now());
      NEMIS_TRY(c.Query(kRecordMigration, {m.version, m.name, now}));
      ++applied;
      log::Info("migration_applied", {{"version", m.version}, {"name", m.name}});
      return {};
    });
    if (!s.ok()) return std::move(s).error();
  }
  return applied;
}

}  // namespace nemis::db
