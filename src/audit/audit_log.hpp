// The append-only audit log (等保 level 3 audit: every user, every important action).
// Each entry is chained to the one before by SM3 (audit_chain.hpp) and numbered by a
// gap-free seq in the order entries became visible. Entries are never updated; only
// Purge (purge.hpp) deletes, and only entries past the retention period.
//
// An entry is written inside the transaction of the action it records, so the two commit
// or roll back together. On SQLite (one writer) it is numbered and chained right there.
// On PostgreSQL it waits unnumbered in audit_pending and Seal numbers and chains the
// committed ones in a short transaction of its own: no write holds the chain head across
// its commit, so writes of a provincial node commit in parallel. The node seals every few
// milliseconds (cli/log_sealer), and every reader of the log seals first, so it reads
// what has been written.
#pragma once

#include <cstdint>

#include "audit/audit_entry.hpp"
#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::audit {

/// Appends `entry` inside the caller's write transaction, so that the audited write and
/// its entry commit or roll back together: "validation_failed" if ValidateEntry refuses
/// it. On PostgreSQL the entry goes with the write's next statement or its commit
/// (db::Connection::Defer); if the store refuses it there, the write fails with
/// AsRefusal's error.
Status Append(db::Connection& c, const AuditEntry& entry);

/// Appends `entry` in a write transaction of its own.
Status Append(db::Database& db, const AuditEntry& entry);

/// What a caller answers for an append: ok, or the refusal (503: no audit, no action),
/// logged with the entry's action and request and the reason's code (never the entry
/// itself). A failure that is already the refusal passes unchanged (logged once).
Status AsRefusal(const AuditEntry& entry, Status appended);

/// How many pending entries one sealing transaction takes at most.
inline constexpr int64_t kSealBatch = 5000;

/// Numbers and chains the committed pending entries (PostgreSQL; nothing to do on
/// SQLite), at most `limit` of them in one transaction; returns how many it sealed.
Result<int64_t> Seal(db::Database& db, int64_t limit = kSealBatch);

/// Seals every entry committed before the call (readers call it before reading the log).
Status SealAll(db::Database& db);

}  // namespace nemis::audit
