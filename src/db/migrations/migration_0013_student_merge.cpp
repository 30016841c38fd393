// Merges of duplicate registrations (一人一籍; registry/student_merge.hpp): one row per
// merge case. While the case is open the row waits ('pending') with the versions both
// students had when it opened; the final approval applies it ('applied'). A rejected or
// cancelled case drops its row. Neither student is ever deleted: the retired record stays,
// status 99 with a 取消学籍 change naming the case, and this row says where it went.
#include <string_view>

namespace nemis::db {

std::string_view Migration0013StudentMerge() {
  return R"SQL(
CREATE TABLE student_merge (
  case_id BIGINT PRIMARY KEY,
  problem_id BIGINT NOT NULL REFERENCES problem_record (id),
  kept_id BIGINT NOT NULL REFERENCES student (id),
  retired_id BIGINT NOT NULL REFERENCES student (id),
  kept_version BIGINT NOT NULL,     -- the versions the case was opened on
  retired_version BIGINT NOT NULL,
  state TEXT NOT NULL,              -- pending, applied
  reason TEXT NOT NULL,
  document TEXT,
  opened_at TEXT NOT NULL,
  applied_at TEXT
);
CREATE INDEX student_merge_kept ON student_merge (kept_id);
CREATE INDEX student_merge_retired ON student_merge (retired_id);
)SQL";
}

}  // namespace nemis::db
