// A student as a row of the roster format (registry/student_fields.hpp: the JY/T 1002 element
// names roster files and `nemis import students` use, codes as codes): what a bulk export for
// older local systems writes, and reads back through the ordinary import.
#pragma once

#include <array>
#include <string>

#include "registry/student.hpp"
#include "registry/student_fields.hpp"

namespace nemis::registry {

/// Every roster field's text for `s` (the school-registration columns empty).
std::array<std::string, kStudentFieldCount> RosterTexts(const Student& s);

}  // namespace nemis::registry
