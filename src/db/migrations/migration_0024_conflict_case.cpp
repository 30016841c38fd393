// One person, one number across provinces, on a province's node: the case (workflow) this node
// opened for each conflict the national node reported about one of its students
// (exchange/conflict_cases.hpp), so that a conflict opens one case however often it is
// reported, and the case is closed once the national node no longer reports it.
#include <string_view>

namespace nemis::db {

std::string_view Migration0024ConflictCase() {
  return R"SQL(
CREATE TABLE exchange_conflict_case (
  conflict_id BIGINT PRIMARY KEY,   -- the national node's exchange_conflict id
  case_id BIGINT NOT NULL REFERENCES wf_case (id),
  student_id BIGINT NOT NULL REFERENCES student (id),
  state TEXT NOT NULL,              -- open; closed (no longer reported)
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
)SQL";
}

}  // namespace nemis::db
