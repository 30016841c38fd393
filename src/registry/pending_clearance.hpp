// 在办业务清理: from the transfer freeze (15 July) to the promotion, every pending case of
// a student in a graduating grade (the final grade of its stage) is closed, so that
// graduation finds no business in progress. A case changes the student only when it is
// finally approved, so closing it leaves the student as it was before the case (the
// state the clearance restores). Each closure is the case's `close` action with the
// clearance as its reason, in the history, the change log and the audit log. A dry run
// counts what would be closed.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/registry_calendar.hpp"
#include "workflow/case_store.hpp"

namespace nemis::registry {

struct ClearanceOptions {
  int year = 0;      // the school year that ends (2026: cleared from 15 July 2026)
  org::Scope where;  // the node (Everything) or a subtree
  bool dry_run = false;
  RegistryCalendar calendar = RegistryCalendar::National();
};

struct ClearanceReport {
  std::map<std::string, int64_t> schools;  // cases closed (or, dry, to close) by school code
  int64_t cases = 0;
  int64_t students = 0;
  bool dry_run = false;
};

/// Closes (or, dry, counts) the pending cases of the graduating grades in `options.where`,
/// as `actor`. 422 clearance_out_of_window outside the transfer freeze..promotion day of
/// `options.year` (Asia/Shanghai), when the graduating grades are not yet or no longer
/// those of that year.
Result<ClearanceReport> ClearGraduatingBusiness(db::Database& db, workflow::CaseStore& cases,
                                                const Clock& clock, const workflow::Actor& actor,
                                                const ClearanceOptions& options);

/// The reason a cleared case's history gives.
std::string ClearanceReason(int year);

}  // namespace nemis::registry
