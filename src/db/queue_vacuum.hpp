// The queue tables that writes fill and sealing empties (change_pending, audit_pending)
// leave every row dead once sealed. PostgreSQL's autovacuum visits a database about once a
// minute, and by then a busy node has left hundreds of thousands of dead rows that every
// look at the queue steps over; the sealer vacuums them itself, after every
// kVacuumQueuesAfter sealed rows. SQLite reuses freed pages by itself: nothing to do.
#pragma once

#include <cstdint>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::db {

inline constexpr int64_t kVacuumQueuesAfter = 20000;

/// VACUUM of the queue tables (PostgreSQL); outside any transaction.
Status VacuumQueues(Database& db);

}  // namespace nemis::db
