// The provinces whose students a national node keeps on a shard server (a postgres_fdw
// foreign partition of `student`, exchange/student_partitions.hpp): empty on every other
// store. The replica writer reads it to move a child between provinces explicitly, as a
// foreign partition cannot take a row moved by UPDATE.
#include <string_view>

namespace nemis::db {

std::string_view Migration0030NationalPartition() {
  return R"SQL(
CREATE TABLE national_partition (
  province_code TEXT PRIMARY KEY,  -- the province (its six-digit division code)
  server TEXT NOT NULL,            -- the foreign server's name on this node (shard_PPPPPP)
  location TEXT NOT NULL,          -- host:port/database of the shard, without credentials
  students_moved BIGINT NOT NULL,  -- the province's students moved there when it was placed
  placed_at TEXT NOT NULL
);
)SQL";
}

}  // namespace nemis::db
