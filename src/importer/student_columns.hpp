// The student roster file format: the registry's student fields, named in the header
// row in Chinese or English, any order (see registry/student_fields.hpp).
#pragma once

#include "registry/student_fields.hpp"

namespace nemis::importer {

using StudentColumn = registry::StudentField;
using StudentColumnSpec = registry::StudentFieldSpec;
inline constexpr const auto& kStudentColumns = registry::kStudentFields;

}  // namespace nemis::importer
