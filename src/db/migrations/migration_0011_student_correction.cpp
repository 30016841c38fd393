// Corrections of a student's protected fields (name, gender, birth date, identity document)
// through an approval case (registry/student_correction.hpp). One row per case: while the
// case is open it holds the new values waiting for the last approval; once applied it is the
// correction's history. The old and new values are sealed together (FieldCipher), never in
// clear: they hold ID numbers, and the case's own details, which its parties read, show them
// masked only. A rejected or cancelled case's row is deleted with the case's end.
#include <string_view>

namespace nemis::db {

std::string_view Migration0011StudentCorrection() {
  return R"SQL(
CREATE TABLE student_correction (
  case_id BIGINT PRIMARY KEY REFERENCES wf_case (id),
  student_id BIGINT NOT NULL REFERENCES student (id),
  student_version BIGINT NOT NULL,  -- the student's version when the case opened
  state TEXT NOT NULL,              -- 'pending' or 'applied'
  fields TEXT NOT NULL,             -- the API names of the corrected fields, comma-separated
  sealed TEXT NOT NULL,             -- old and new values, sealed (base64url)
  reason TEXT NOT NULL,             -- 更正原因
  document TEXT NOT NULL,           -- 证明材料文号
  change_date TEXT,                 -- YYYY-MM-DD, if given
  opened_at TEXT NOT NULL,          -- UTC
  approved_on TEXT,                 -- 审批日期 (Asia/Shanghai), once applied
  applied_at TEXT                   -- UTC, once applied
);
CREATE INDEX student_correction_student ON student_correction (student_id, case_id);
)SQL";
}

}  // namespace nemis::db
