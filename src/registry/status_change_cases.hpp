// Status changes (学籍异动) as approval cases: the school asks (student.update), the school
// approves, and the county for every change but a class change (转班级: the school alone);
// the final approval applies the change to the student in the same transaction, with its
// status_change row (reason, document number, date, approval date and reference) and the
// change log. Nothing is deleted: the student's status is always derivable from its history.
// The rules of each change are in status_change_rules.hpp.
#pragma once

#include <string>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/status_change_rules.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/case_store.hpp"

namespace nemis::registry {

/// What the school gives (POST /api/v1/students/{number}/status-changes).
struct StatusChangeRequest {
  std::string type;      // XJYDLB code, e.g. "11" 休学
  std::string reason;    // 异动原因
  std::string date;      // 异动日期, YYYY-MM-DD
  std::string document;  // 文号 (e.g. the guardian's request, a medical certificate); optional
  std::string grade;     // 降级: the grade after
  std::string class_no;  // 转班级, 留级, 降级, 跳级: the class after
};

class StatusChangeCases {
 public:
  StatusChangeCases(db::Database& db, const crypto::FieldCipher& cipher, workflow::CaseStore& cases,
                    const Clock& clock, StatusChangeSettings settings)
      : db_(db), cipher_(cipher), cases_(cases), clock_(clock), settings_(std::move(settings)) {}

  /// Opens the case for a student in `scope`. Errors: not_found (no such student in scope),
  /// validation_failed (fields: type unknown_type, reason, date, grade, class),
  /// status_not_allowed, not_in_compulsory_education, senior_only,
  /// grade_change_not_allowed_here, grade_out_of_stage, case_pending (the student has an
  /// open case), graduating_business_closed (registry_calendar.hpp; not for 死亡, 结业,
  /// 肄业), 403 without student.update at the school.
  Result<workflow::ApprovalCase> Open(const workflow::Actor& actor, const org::Scope& scope,
                                      std::string_view student_number,
                                      const StatusChangeRequest& request);

  /// The case end of every status change: approved, the change is applied if the student
  /// is still as the case found it (409 status_change_stale otherwise).
  Status OnEnd(db::Connection& c, const workflow::ApprovalCase& kase);

 private:
  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  workflow::CaseStore& cases_;
  const Clock& clock_;
  StatusChangeSettings settings_;
};

/// Whether a case type is a status change ("status.11", ...).
bool IsStatusChangeCase(std::string_view type);

}  // namespace nemis::registry
