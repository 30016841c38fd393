// The review of a submission before it goes up (审核): the forms' own cross-checks, and the
// rules across forms and years that STANDARDS.md and the issue name — grade-age anomalies,
// pupils without a class, classes whose sizes cannot hold the grade's pupils, a head count
// far from last year's, schools without students.
// An error (逻辑校验) blocks the submission; a warning (经验校验) must be explained, and the
// explanation travels with the submission (it is signed with it).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stats/submission_snapshot.hpp"

namespace nemis::stats {

struct Finding {
  std::string id;  // stable across runs, the key of its explanation ("教基2106:R12 = 0")
  bool warning = false;
  std::string rule;     // the rule, for people ("R12 = 0", "年级与年龄")
  std::string message;  // what failed
};

/// A grade's students born outside the years its age allows (pupils of grade g are 5+g
/// on 1 September; more than two years older or a year younger is an anomaly).
struct GradeAgeAnomaly {
  int grade = 0;
  int64_t students = 0;
  int born_from = 0, born_to = 0;  // the years allowed
};

/// Birth years a grade's students may have at `year`'s point in time, inclusive.
std::pair<int, int> AllowedBirthYears(int year, int grade);

struct ReviewFacts {
  bool school = true;                         // the unit is a school (else a region)
  std::optional<int64_t> last_year_students;  // last year's head count, where known
  int year_on_year_percent = 20;
  std::vector<GradeAgeAnomaly> grade_age;
};

std::vector<Finding> ReviewSnapshot(const Snapshot& s, const ReviewFacts& facts);

/// [{id, severity: error|warning, rule, message}], as kept with a submission.
nlohmann::json FindingsJson(const std::vector<Finding>& findings);

/// The ids of warnings without an explanation (blank counts as none).
std::vector<std::string> Unexplained(const std::vector<Finding>& findings,
                                     const std::map<std::string, std::string>& explanations);

}  // namespace nemis::stats
