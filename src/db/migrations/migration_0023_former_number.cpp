// The numbers a student held before its current one: an L (temporary) number replaced by
// the G number once the resident ID was checked (registry/temporary_number_conversion.hpp).
// A number is never reused and never changes owner (STANDARDS.md), so the old one stays
// the student's, by its blind index, with when and why it was replaced.
#include <string_view>

namespace nemis::db {

std::string_view Migration0023FormerNumber() {
  return R"SQL(
CREATE TABLE student_former_number (
  number_index TEXT PRIMARY KEY,  -- blind index of the former number
  student_id BIGINT NOT NULL REFERENCES student (id),
  number_kind TEXT NOT NULL,      -- the former number's kind: L (or J)
  replaced_at TEXT NOT NULL,
  reason TEXT NOT NULL            -- e.g. population_checked
);
CREATE INDEX student_former_number_student ON student_former_number (student_id);
)SQL";
}

}  // namespace nemis::db
