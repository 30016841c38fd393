// A person's decision on a finding (问题学籍, 疑似重复学籍): nothing the scan reports changes
// a record by itself. Two decisions resolve a finding here:
// - 佐证 (evidence): the school holds evidence that its student's record is right (an ID
//   that fails the check but was issued so, an age off the grade's norm, ...). One-student
//   findings but overdue cases (those end with their case); by the school (student.update
//   there).
// - 不是重复 (not_duplicate): the two students are two people. Pairs but one ID number
//   twice; by the lowest authority over both schools (student.approve at the county when
//   both are in one county, else the city, the province, the nation).
// The decision keeps its reason and document; a rescan keeps it (problem_store.cpp).
// Corrections (变更) go through a correction case (student_correction.hpp), merging two
// registrations through a merge case (student_merge.hpp); while a merge case of the
// finding is open, no decision is taken on it (409 case_pending).
#pragma once

#include <cstdint>
#include <string>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "workflow/approval_case.hpp"

namespace nemis::registry::quality {

struct ProblemDecisionRequest {
  int64_t id = 0;
  int64_t expected_version = 0;  // the version the decider saw (If-Match)
  std::string decision;          // "evidence" or "not_duplicate"
  std::string reason;            // required
  std::string document;          // optional: the evidence's document number
};

struct DecidedProblem {
  int64_t id = 0;
  int64_t version = 0;
  std::string resolution, resolved_by, resolved_at, reason, document;
};

/// Resolves finding `id` in `scope` (either side's school). Errors: not_found (none in
/// scope), validation_failed (decision unknown_decision, reason required, bad_text),
/// 422 not_decidable (the finding's kind does not take the decision), 403 (not the
/// deciding party), 409 problem_closed (no longer open) or version_conflict.
Result<DecidedProblem> DecideProblem(db::Database& db, const Clock& clock,
                                     const workflow::Actor& actor, const org::Scope& scope,
                                     const ProblemDecisionRequest& request);

}  // namespace nemis::registry::quality
