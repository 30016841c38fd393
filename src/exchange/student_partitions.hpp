// The national node past one server (issue 12 §8, docs/national-scale.md §4): its `student`
// table list-partitioned by province on PostgreSQL, a province's partition kept on a shard
// server of its own as a postgres_fdw foreign table, the provinces not placed on a shard in a
// local default partition.
//
// - Each shard table enforces its own keys (id, number, document) and a CHECK that every row
//   is its province's; the coordinator keeps the person index (`national_number`,
//   `national_document`), written by a trigger on `student` in the same transaction as the
//   row, so that one person has one number across shards: two provinces' batches racing for
//   one number collide on its primary key and one of them is applied again later, finding
//   the holder (registry/student_replica.hpp).
// - Foreign keys to `student (id)` are dropped (a partitioned table with foreign partitions
//   has no unique key); the exchange's digests check the replica instead.
// - The database runs with enable_partitionwise_aggregate, so that a national count grouped
//   by province is counted on each shard (registry/student_stats.hpp groups national counts
//   by province first).
// - A shard table is written through the coordinator only: a transaction that spans shards
//   commits on each without two-phase commit (postgres_fdw). Columns a later migration adds
//   or drops follow to the shards when the store opens (exchange/shard_columns.hpp).
// - The replica writer inserts a shard's new students through a loader without triggers, in
//   batches, and writes the person index and history itself (registry/shard_loader.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::exchange {

/// Where a province's students go: a PostgreSQL database the national node reaches
/// ("postgresql://user[:password]@host:port/db"); the table student_PPPPPP is made there.
struct ShardPlacement {
  std::string province;  // six-digit division code of a province (PP0000)
  std::string url;
};

struct PlacedProvince {
  std::string province;
  std::string server;    // the foreign server on the national node: shard_PPPPPP
  std::string location;  // host:port/database, without credentials
  int64_t students_moved = 0;
  std::string placed_at;
};

/// Makes `student` partitioned by province, the rows so far staying where they are as its
/// default partition, and builds the person index. False when it already was; refused
/// (not_postgresql) on SQLite.
Result<bool> PartitionStudentsByProvince(db::Database& db);

/// Moves a province's students to a new table on the shard and attaches it as the
/// province's partition, in one transaction of the national node (the table on the shard is
/// made first; an empty one left by a failed attempt is used again). Partitions the table
/// first if needed. Refusals: bad_province, bad_shard_url, province_placed (400/409),
/// shard_not_empty (409, a table of that name with rows), shard_unreachable (503).
Result<PlacedProvince> PlaceProvinceOnShard(db::Database& db, const ShardPlacement& placement,
                                            std::string_view now);

/// Makes the loader of a placed province (registry/shard_loader.hpp) on `server`, or makes it
/// again when `student`'s columns changed; nothing when it is in step.
Status KeepShardLoader(db::Connection& c, const std::string& province, const std::string& server);

/// The provinces placed on shards, by code.
Result<std::vector<PlacedProvince>> PlacedProvinces(db::Database& db);

/// A placed province read through its shard: its students there, or why it cannot be read
/// (the shard down, or its table behind this node's columns: a migration that changes
/// `student` changes the national node's tables only, and each shard's must follow by hand).
struct ShardState {
  PlacedProvince placed;
  int64_t students = -1;  // -1 when it cannot be read
  std::string problem;    // empty when it can
};
Result<std::vector<ShardState>> CheckShards(db::Database& db);

}  // namespace nemis::exchange
