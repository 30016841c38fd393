// A province's students kept on a shard server (a postgres_fdw foreign partition of `student`,
// exchange/student_partitions.hpp) are inserted by the replica writer through a second foreign
// table onto the same shard table: its loader, shard_load.student_PPPPPP, made and kept in
// step with `student`'s columns by exchange/student_partitions.cpp. The partition carries the
// triggers of `student` (the history, the person index), and postgres_fdw sends a row at a
// time into a foreign table with AFTER ROW triggers (and COPY a row at a time on PostgreSQL
// 15); the loader has none, so multi-row INSERTs into it go to the shard in batches of the
// server's batch_size. What the triggers would have written is written here for the whole
// batch, in the same transaction. Everything else (updates, a child moving between shards,
// any other writer) goes through `student`, its triggers guarding the person index as before.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "db/database.hpp"
#include "registry/student.hpp"

namespace nemis::registry {

/// "shard_load.student_PPPPPP".
std::string ShardLoaderTable(std::string_view province);

/// Inserts `students` (sealed, ids and versions set) of `province` through its loader, then
/// their person-index entries and first history states, as the triggers on `student` write
/// them. A number or document another student holds is a unique_violation, as the trigger
/// raises it.
Status InsertThroughLoader(db::Connection& c, std::string_view province,
                           std::span<const Student* const> students);

}  // namespace nemis::registry
