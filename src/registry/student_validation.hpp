// Validation of a student record against the national standards (GB 11643 ID
// numbers, GB/T 2261.1, GB/T 3304, JY/T code tables) and the registry rules
// (grade within stage, stage held by the school, dates, guardians). Every problem is
// reported with the field's API name; nothing stops at the first one.
#pragma once

#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "org/scope.hpp"
#include "registry/school_lookup.hpp"
#include "registry/student.hpp"
#include "registry/student_input.hpp"

namespace nemis::registry {

struct ValidationContext {
  Date today;                   // China Standard Time
  const SchoolLookup* schools;  // the schools the caller may enrol into
  const org::Scope* scope;      // the caller's scope (schools outside it are unknown)
};

/// A validated student (number not yet issued for J/L when `student_number` is
/// empty), or Error::Invalid listing every field problem.
Result<Student> ValidateStudent(const StudentInput& input, const ValidationContext& ctx);

namespace internal {
using Fields = std::vector<FieldError>;
void ValidatePerson(const StudentInput& in, const ValidationContext& ctx, Student& s,
                    Fields& errors);
void ValidateEnrolment(const StudentInput& in, const ValidationContext& ctx, Student& s,
                       Fields& errors);
void ValidateFlagsAndGuardians(const StudentInput& in, const ValidationContext& ctx, Student& s,
                               Fields& errors);
void AddError(Fields& errors, StudentField field, std::string_view code, std::string message);
}  // namespace internal

}  // namespace nemis::registry
