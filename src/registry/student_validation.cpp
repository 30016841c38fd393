#include "registry/student_validation.hpp"

namespace nemis::registry {

namespace internal {
void AddError(Fields& errors, StudentField field, std::string_view code, std::string message) {
  errors.push_back({std::string(FieldName(field)), std::string(code), std::move(message)});
}
}  // namespace internal

Result<Student> ValidateStudent(const StudentInput& input, const ValidationContext& ctx) {
  Student s;
  internal::Fields errors;
  internal::ValidatePerson(input, ctx, s, errors);
  internal::ValidateEnrolment(input, ctx, s, errors);
  internal::ValidateFlagsAndGuardians(input, ctx, s, errors);
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return s;
}

}  // namespace nemis::registry
