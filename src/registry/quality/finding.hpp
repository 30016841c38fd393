// One finding of a scan, before it is stored: a kind, the student (and the other student
// of a pair), how sure the scan is, and details made only of codes and numbers (never a
// name or a document number: the stored record is read by people who may not see them).
#pragma once

#include <cstdint>
#include <string>

#include "registry/quality/problem_kind.hpp"

namespace nemis::registry::quality {

struct Finding {
  ProblemKind kind = ProblemKind::kSameNameBirth;
  int64_t student_id = 0, school_id = 0;
  int64_t other_id = 0, other_school_id = 0;  // 0: a finding about one student
  int score = 100;                            // 0..100; a rule that holds scores 100
  std::string details = "{}";                 // a JSON object
  int64_t case_id = 0;                        // overdue_case: the case
};

/// The key that identifies a finding across scans: a pair is one finding whatever rule
/// finds it ("pair:<lower id>:<higher id>"), so that a decision on it survives a rescan
/// that finds it by another rule; "<kind>:<student>[:<case>]" otherwise.
std::string FindingKey(const Finding& f);

/// A pair finding with the lower student id first (the order FindingKey assumes).
Finding PairFinding(ProblemKind kind, int64_t a, int64_t a_school, int64_t b, int64_t b_school);

}  // namespace nemis::registry::quality
