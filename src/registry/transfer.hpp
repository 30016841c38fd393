// Transfers (转学): the receiving school asks for a student of another school, the case
// goes up the chain STANDARDS.md names (same county; across counties; across provinces,
// each province's level added), and the final approval moves the enrolment in the
// same transaction: the student's school, grade and class, the status changes 21 (out)
// and 22 (in) with the approval date and reference, the change log, and every other
// pending case that would move the same student closed with a reason.
#pragma once

#include <set>
#include <string>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "registry/registry_calendar.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/case_store.hpp"

namespace nemis::registry {

/// What the receiving school gives (POST /api/v1/transfers).
struct TransferRequest {
  std::string student_number;
  std::string name;  // optional; when given, must match as in the transfer lookup
  std::string to_school;
  std::string grade;  // as the registry parses grades ("7", "七年级", "初一")
  std::string class_no;
  std::string reason;
  std::string date;  // the transfer's date, YYYY-MM-DD
  /// Optional: the province (two digits, or its 6-digit code) of a student registered on
  /// another province's node; used only when the number is not found here.
  std::string from_province;
};

/// Provincial rules (registry.transfer_same_grade_provinces) and the year-end calendar: provinces,
/// by their 2-digit code (a 6-digit division code such as 440000 is taken by its first two), whose
/// schools may receive a student only into the grade the student is in.
struct TransferRules {
  std::set<std::string> same_grade_provinces;
  RegistryCalendar calendar = RegistryCalendar::National();  // the year-end freezes
  static TransferRules Parse(std::string_view comma_separated_codes);
};

class Transfers {
 public:
  Transfers(db::Database& db, const crypto::FieldCipher& cipher, workflow::CaseStore& cases,
            const Clock& clock, TransferRules rules)
      : db_(db), cipher_(cipher), cases_(cases), clock_(clock), rules_(std::move(rules)) {}

  /// Opens the transfer case. Refusals (422, stable codes): validation_failed (fields; an
  /// unregistered toSchool is its field code unknown_school), school_closed, same_school,
  /// sending_school_closed, student_suspended, student_disciplined, student_not_active,
  /// transfer_pending, stage_not_offered, grade_not_offered, grade_change_not_allowed,
  /// transfers_closed and graduating_business_closed (registry_calendar.hpp); not_found
  /// for a number and name that do not match a student (as the lookup); 403 without student.create
  /// at the receiving school. A number not found here with a fromProvince that this node does
  /// not hold opens a case that waits for that node (transfer_external.hpp).
  Result<workflow::ApprovalCase> Open(const workflow::Actor& actor, const TransferRequest& request);

  /// The case end of every transfer type: an approved transfer moves the student (see
  /// above); a rejected or cancelled one leaves it where it is.
  Status OnEnd(db::Connection& c, const workflow::Actor& actor, const workflow::ApprovalCase& kase);

 private:
  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  workflow::CaseStore& cases_;
  const Clock& clock_;
  TransferRules rules_;
};

/// Whether a case type is a transfer ("transfer.same_county", ...).
bool IsTransferCase(std::string_view type);

}  // namespace nemis::registry
