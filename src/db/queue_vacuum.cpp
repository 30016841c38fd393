#include "db/queue_vacuum.hpp"

namespace nemis::db {

Status VacuumQueues(Database& db) {
  if (db.backend() == Backend::kSqlite) return {};
  return db.WithRawWriter(
      [](Connection& c) { return c.ExecScript("VACUUM change_pending, audit_pending"); });
}

}  // namespace nemis::db
