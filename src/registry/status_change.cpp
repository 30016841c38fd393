#include "registry/status_change.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO student_change (student_id, change_type, change_date, reason, approved_on, "
    "approval_ref, case_id, from_school_code, to_school_code, from_grade, to_grade, from_class, "
    "to_class, status_before, status_after, recorded_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
// The student's own rows, and those of every registration merged into it
// (quality/student_merge.hpp) but the merge's own 取消学籍, which the student's row of the
// merge tells.
constexpr std::string_view kSelect =
    "SELECT change_type, change_date, reason, approved_on, approval_ref, case_id, "
    "from_school_code, to_school_code, from_grade, to_grade, from_class, to_class, "
    "status_before, status_after, recorded_at, CASE WHEN student_id = $1 THEN 0 ELSE 1 END "
    "FROM student_change "
    "WHERE student_id = $1 OR (student_id IN (SELECT m.retired_id FROM student_merge m "
    "WHERE m.kept_id = $1 AND m.state = 'applied') AND (case_id IS NULL OR case_id NOT IN "
    "(SELECT m.case_id FROM student_merge m WHERE m.kept_id = $1))) ORDER BY id";

}  // namespace

Status RecordStatusChange(db::Connection& c, int64_t student_id, const StatusChange& change) {
  return c.Defer(kInsert,
                 {student_id, change.type, change.change_date, change.reason, change.approved_on,
                  change.approval_ref, change.case_id, change.from_school, change.to_school,
                  change.from_grade, change.to_grade, change.from_class, change.to_class,
                  change.status_before, change.status_after, change.recorded_at});
}

Result<std::vector<StatusChange>> LoadStatusChanges(db::Connection& c, int64_t student_id) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelect, {student_id}));
  std::vector<StatusChange> out;
  out.reserve(rs.rows.size());
  for (const auto& r : rs.rows) {
    StatusChange change;
    change.type = r.Text(0);
    change.change_date = r.Text(1);
    change.reason = r.Text(2);
    change.approved_on = r.OptText(3);
    change.approval_ref = r.OptText(4);
    change.case_id = r.OptInt(5);
    change.from_school = r.Text(6);
    change.to_school = r.Text(7);
    change.from_grade = static_cast<int>(r.Int(8));
    change.to_grade = static_cast<int>(r.Int(9));
    change.from_class = r.Text(10);
    change.to_class = r.Text(11);
    change.status_before = r.Text(12);
    change.status_after = r.Text(13);
    change.recorded_at = r.Text(14);
    change.merged_record = r.Int(15) != 0;
    out.push_back(std::move(change));
  }
  return out;
}

}  // namespace nemis::registry
