// The append-only audit log (等保 level 3 audit: every user, every important action).
// Each entry is chained to the one before by SM3 (audit_chain.hpp), numbered by a
// gap-free seq taken inside the writing transaction: appenders lock the one-row chain head,
// so concurrent appenders on PostgreSQL queue behind each other instead of forking the
// chain (SQLite's single writer serialises them anyway). Entries are never updated;
// only Purge (purge.hpp) deletes, and only entries past the retention period.
#pragma once

#include <cstdint>

#include "audit/audit_entry.hpp"
#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::audit {

/// Appends `entry` inside the caller's write transaction, so that the audited write and
/// its entry commit or roll back together; returns its seq. The chain head stays locked
/// until the transaction ends: call it last in the transaction (after AppendChanges).
/// "validation_failed" if ValidateEntry refuses the entry.
Result<int64_t> Append(db::Connection& c, const AuditEntry& entry);

/// Appends `entry` in a write transaction of its own; returns its seq.
Result<int64_t> Append(db::Database& db, const AuditEntry& entry);

}  // namespace nemis::audit
