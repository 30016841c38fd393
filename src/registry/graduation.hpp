// A school's graduation (毕业) at the end of the school year, done by 30 July (the
// calendar's graduation deadline): in compulsory education (and the other stages but 高中)
// the school graduates its students itself; for 高中 the school applies and the city
// approves (a case, graduation.senior), and the approval graduates them. Only students in
// school (在读, 复学) in a final grade with no pending case and no open problem record
// graduate (promotion.hpp's rule); the others are counted as held. What the school does
// not graduate by then, the promotion of 10 August graduates if nothing holds it back.
#pragma once

#include <optional>
#include <string>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/registry_calendar.hpp"
#include "workflow/approval_case.hpp"
#include "workflow/case_store.hpp"

namespace nemis::registry {

/// What the school gives (POST /api/v1/graduations).
struct GraduationRequest {
  std::string school;  // the school's 10-digit code
  int year = 0;        // the school year that ends
  bool dry_run = false;
};

struct GraduationOutcome {
  int64_t graduated = 0;          // graduated now (dry run: would be)
  int64_t awaiting_approval = 0;  // 高中 students the application to the city names
  int64_t held = 0;               // held back by an open case or problem record
  std::optional<workflow::ApprovalCase> application;  // the 高中 application opened
  bool dry_run = false;
};

class Graduations {
 public:
  Graduations(db::Database& db, workflow::CaseStore& cases, const Clock& clock,
              RegistryCalendar calendar)
      : db_(db), cases_(cases), clock_(clock), calendar_(std::move(calendar)) {}

  /// Graduates the school's final grades and, for 高中, applies to the city, in one
  /// transaction. Errors: validation_failed (school required, year bad_year), not_found
  /// (no such school in `scope`), 403 without student.update at the school,
  /// 422 graduation_window (only from 1 June to the graduation deadline of the year, China
  /// time; a dry run at any time), case_pending (an application of the year waits),
  /// nothing_to_graduate.
  Result<GraduationOutcome> Graduate(const workflow::Actor& actor, const org::Scope& scope,
                                     const GraduationRequest& request);

  /// The end of a graduation.senior case: approved, the school's 高中 final grades that
  /// nothing holds back then graduate.
  Status OnEnd(db::Connection& c, const workflow::ApprovalCase& kase);

 private:
  Status CheckWindow(int year) const;

  db::Database& db_;
  workflow::CaseStore& cases_;
  const Clock& clock_;
  RegistryCalendar calendar_;
};

/// Whether a case type is a graduation application ("graduation.senior").
bool IsGraduationCase(std::string_view type);

}  // namespace nemis::registry
