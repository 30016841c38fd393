// A national node's shards following its migrations (exchange/student_partitions.hpp): a
// migration that adds or drops a column of `student` changes this node's tables and the
// foreign tables' definitions, not the shards' own tables; until those follow, every batch of
// the province fails on the column the shard lacks. Run after the migrations, each shard's
// `student_PPPPPP` is given the columns `student` has here (type, default, NOT NULL as here)
// and loses those it no longer has, through the user mapping's own credentials. Indexes a
// migration adds are not carried (they speed the national node's local rows only). The
// province's loader (registry/shard_loader.hpp) is then made again with the new columns.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::exchange {

struct ShardColumnsFollowed {
  std::string province;
  std::vector<std::string> changes;  // "ADD COLUMN x text", "DROP COLUMN y"
  std::string problem;               // the shard could not be changed (left as it was)
};

/// For each province placed on a shard (none on SQLite or an unpartitioned store): what was
/// changed there, or why it could not be.
Result<std::vector<ShardColumnsFollowed>> FollowColumnsOnShards(db::Database& db);

}  // namespace nemis::exchange
