// Corrections of a student's protected fields (姓名, 性别, 出生日期, 身份证件类型 and 号)
// as approval cases (STANDARDS.md: changing them requires proof and an audited approval).
// The school asks (student.update) with a reason and the proof's document number; the
// school approves, then its county (workflow student.correction). The new values wait
// sealed outside the case (migration 0011), whose details show them masked; the final
// approval applies them in its own transaction if the student is as the case found it,
// and keeps the old and new values as the correction's history. A rejected or cancelled
// case leaves the student as it was.
//
// A G number is G + the citizen ID: changing the ID of a G student would change its number,
// which needs the national population check (the exchange, issue 12), so it is refused here
// (g_number_id_change). J and L students may have an ID added or corrected; their number is
// kept.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/correction_values.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/case_store.hpp"

namespace nemis::registry {

inline constexpr std::string_view kCorrectionCaseType = "student.correction";

/// What the school gives (POST /api/v1/students/{number}/corrections): the new values of
/// the fields to correct (absent: kept), and the evidence.
struct CorrectionRequest {
  std::optional<std::string> name, gender, birth_date, id_type, id_number;
  std::string reason;    // 更正原因, required
  std::string document;  // 证明材料文号, required
  std::string date;      // YYYY-MM-DD, optional
};

/// One correction of a student, pending (its case open) or applied.
struct Correction {
  int64_t case_id = 0;
  bool applied = false;
  CorrectedValues values;
  std::string reason, document;
  std::optional<std::string> date;
  std::string opened_at;
  std::optional<std::string> approved_on, applied_at;
};

class StudentCorrections {
 public:
  StudentCorrections(db::Database& db, const crypto::FieldCipher& cipher,
                     workflow::CaseStore& cases, const Clock& clock)
      : db_(db), cipher_(cipher), cases_(cases), clock_(clock) {}

  /// Opens the case for a student in `scope`. Errors, in this order: validation_failed
  /// (reason, document, date) or nothing_to_correct; not_found (no such student in scope);
  /// 403 without student.update at the school; 409 case_pending (an open case);
  /// g_number_id_change; validation_failed naming each field as registration does, or
  /// "unchanged" for a value the student already has; 409 duplicate_student or
  /// registered_elsewhere for an ID number another student holds.
  Result<workflow::ApprovalCase> Open(const workflow::Actor& actor, const org::Scope& scope,
                                      std::string_view student_number,
                                      const CorrectionRequest& request);

  /// The case end: approved, the values are applied if the student has not changed since
  /// the case opened (409 correction_stale otherwise) and the ID is still nobody else's
  /// (409 registered_elsewhere); rejected or cancelled, the waiting values are dropped.
  Status OnEnd(db::Connection& c, const workflow::ApprovalCase& kase);

  /// The student's applied corrections and the one waiting, if any, oldest first; values
  /// masked unless `whole` (the caller decided and audited the disclosure).
  Result<std::vector<Correction>> History(int64_t student_id, bool whole);

 private:
  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  workflow::CaseStore& cases_;
  const Clock& clock_;
};

/// Whether a case type is a correction.
bool IsCorrectionCase(std::string_view type);

}  // namespace nemis::registry
