// A student record as a client sent it: one text value per field, borrowed from
// the request body or the import buffer. Validation turns it into a Student.
#pragma once

#include <array>
#include <bitset>
#include <string_view>

#include "registry/student_fields.hpp"

namespace nemis::registry {

struct StudentInput {
  std::array<std::string_view, kStudentFieldCount> values{};
  std::bitset<kStudentFieldCount> present;  // the client sent this field (even if blank)

  std::string_view Get(StudentField f) const { return values[static_cast<size_t>(f)]; }
  bool Has(StudentField f) const { return present[static_cast<size_t>(f)]; }
  void Set(StudentField f, std::string_view v) {
    values[static_cast<size_t>(f)] = v;
    present[static_cast<size_t>(f)] = true;
  }
};

/// The API name of a field ("idNumber"), used in error reports.
inline std::string_view FieldName(StudentField f) {
  return kStudentFields[static_cast<size_t>(f)].english;
}
/// The Chinese name of a field ("身份证件号").
inline std::string_view FieldLabel(StudentField f) {
  return kStudentFields[static_cast<size_t>(f)].chinese;
}

}  // namespace nemis::registry
