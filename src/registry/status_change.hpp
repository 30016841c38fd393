// A student's status changes (学籍异动): one row per change of enrolment or status, never
// updated or deleted (migration 8, student_change). A transfer records 21 (out) at the
// sending school and 22 (in) at the receiving one; the status changes of the lifecycle
// (休学, 复学, 留级, ...) record theirs here too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::registry {

struct StatusChange {
  std::string type;         // XJYDLB code (codes::StatusChangeCodes)
  std::string change_date;  // 异动日期, YYYY-MM-DD
  std::string reason;
  std::optional<std::string> approved_on;   // 审批日期, YYYY-MM-DD (Asia/Shanghai)
  std::optional<std::string> approval_ref;  // 审批文号
  std::optional<int64_t> case_id;           // the approval case, if any
  std::string from_school, to_school;       // school codes
  int from_grade = 0, to_grade = 0;
  std::string from_class, to_class;
  std::string status_before, status_after;  // 学生当前状态码
  std::string recorded_at;                  // UTC
  bool merged_record = false;  // a row of a duplicate registration merged into this student
};

/// Appends `change` to the history of the student with internal id `student_id`, inside
/// the caller's transaction.
Status RecordStatusChange(db::Connection& c, int64_t student_id, const StatusChange& change);

/// The student's status changes, oldest first, with those of the registrations merged into
/// it (merged_record).
Result<std::vector<StatusChange>> LoadStatusChanges(db::Connection& c, int64_t student_id);

}  // namespace nemis::registry
