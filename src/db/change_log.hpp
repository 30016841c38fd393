// The transactional outbox and id allocation. Every insert or update of a shared
// record appends, in the same transaction, one change-log row per record; the
// exchange and statistics engines read the log by sequence.
//
// Sequence numbers are gap-free and follow the order in which changes became visible:
// a reader that has seen seq N has seen every change up to N. On SQLite (one writer) a
// change is numbered inside its write. On PostgreSQL an ordinary write only inserts an
// unnumbered row into change_pending, taking no lock other writes need, and SealChanges
// (run by the node every few milliseconds and by readers that want the latest changes)
// numbers the committed ones in one short transaction of its own.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::db {

enum class ChangeOp : char { kInsert = 'I', kUpdate = 'U' };

/// Appends one change row per id inside the writing transaction. A bulk append (a
/// batch of an import) on PostgreSQL numbers its rows itself and keeps the counter row
/// locked until it commits: cheaper than sealing the rows later, and only sealing and
/// other bulk loads wait for it.
Status AppendChanges(Connection& c, std::string_view entity, ChangeOp op,
                     std::span<const int64_t> ids, std::string_view changed_at);

/// How many pending changes one sealing transaction takes at most.
inline constexpr int64_t kSealBatch = 10000;

/// Numbers the committed pending changes (PostgreSQL; nothing to do on SQLite), at most
/// `limit` of them, in one transaction; returns how many it sealed.
Result<int64_t> SealChanges(Database& db, int64_t limit = kSealBatch);

/// The highest sequence number sealed so far.
Result<int64_t> LastChangeSeq(Connection& c);

/// Reserves `n` ids for a table whose primary key is `id` ({{id}} in migrations),
/// for bulk inserts that must know their ids (to log them) without RETURNING.
Result<std::vector<int64_t>> AllocateIds(Connection& c, std::string_view table, int64_t n);

}  // namespace nemis::db
