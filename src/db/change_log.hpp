// The transactional outbox and id allocation. Every insert or update of a shared
// record appends, in the same transaction, one change-log row per record; the
// exchange and statistics engines read the log by sequence.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::db {

enum class ChangeOp : char { kInsert = 'I', kUpdate = 'U' };

/// Appends one change-log row per id, with consecutive sequence numbers taken
/// from the node's counter. Call inside the writing transaction, last if possible:
/// on PostgreSQL the counter row stays locked until commit, which is what keeps
/// sequence order equal to commit order.
Status AppendChanges(Connection& c, std::string_view entity, ChangeOp op, std::span<const int64_t> ids,
                     std::string_view changed_at);

/// The highest sequence number committed so far.
Result<int64_t> LastChangeSeq(Connection& c);

/// Reserves `n` ids for a table whose primary key is `id` ({{id}} in migrations),
/// for bulk inserts that must know their ids (to log them) without RETURNING.
Result<std::vector<int64_t>> AllocateIds(Connection& c, std::string_view table, int64_t n);

}  // namespace nemis::db
