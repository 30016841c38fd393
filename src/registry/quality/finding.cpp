#include "registry/quality/finding.hpp"

#include <utility>

namespace nemis::registry::quality {

std::string FindingKey(const Finding& f) {
  if (f.other_id != 0)
    return "pair:" + std::to_string(f.student_id) + ":" + std::to_string(f.other_id);
  std::string key = std::string(ProblemKindId(f.kind)) + ":" + std::to_string(f.student_id);
  if (f.case_id != 0) key += ":" + std::to_string(f.case_id);
  return key;
}

Finding PairFinding(ProblemKind kind, int64_t a, int64_t a_school, int64_t b, int64_t b_school) {
  if (b < a) {
    std::swap(a, b);
    std::swap(a_school, b_school);
  }
  Finding f;
  f.kind = kind;
  f.student_id = a;
  f.school_id = a_school;
  f.other_id = b;
  f.other_school_id = b_school;
  return f;
}

}  // namespace nemis::registry::quality
