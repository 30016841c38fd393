// The registry's status changes (学籍异动, JY/T 1001 XJYDLB): one row per change of a
// student's enrolment or status, never updated or deleted, so that where a student is and
// was is always derivable from its history. A transfer writes two: 21 (out) and 22 (in).
#include <string_view>

namespace nemis::db {

std::string_view Migration0008StatusChange() {
  return R"SQL(
CREATE TABLE student_change (
  id {{id}},
  student_id BIGINT NOT NULL REFERENCES student (id),
  change_type TEXT NOT NULL,        -- XJYDLB code, e.g. 21 转学(转出), 22 转学(转入)
  change_date TEXT NOT NULL,        -- 异动日期, YYYY-MM-DD
  reason TEXT NOT NULL,             -- 异动原因
  approved_on TEXT,                 -- 审批日期 (Asia/Shanghai)
  approval_ref TEXT,                -- 审批文号, or the approval case
  case_id BIGINT,                   -- the approval case, if any
  from_school_code TEXT NOT NULL,
  to_school_code TEXT NOT NULL,
  from_grade SMALLINT NOT NULL,
  to_grade SMALLINT NOT NULL,
  from_class TEXT NOT NULL,
  to_class TEXT NOT NULL,
  status_before TEXT NOT NULL,      -- 学生当前状态码 before and after
  status_after TEXT NOT NULL,
  recorded_at TEXT NOT NULL         -- UTC
);
CREATE INDEX student_change_student ON student_change (student_id, id);
)SQL";
}

}  // namespace nemis::db
