// A stored student as client text values, so that an update can be validated as a
// whole record: the current values overlaid with the fields the client changed.
#pragma once

#include <array>
#include <string>

#include "registry/student.hpp"
#include "registry/student_input.hpp"

namespace nemis::registry::internal {

using StudentTexts = std::array<std::string, kStudentFieldCount>;

StudentTexts TextsOf(const Student& s);
/// Views of `texts` for every field (all marked present).
StudentInput InputOf(const StudentTexts& texts);

}  // namespace nemis::registry::internal
