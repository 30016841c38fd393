// The registry flags a school's student list can be narrowed to (GET
// /api/v1/students?school=…&flags=leftBehind,orphan): each names the students whose record
// has it set; several flags mean all of them.
#pragma once

#include <optional>
#include <string_view>

namespace nemis::registry {

/// The SQL condition (on the student table aliased `s`) of `flag`; nothing for an unknown one.
std::optional<std::string_view> FlagCondition(std::string_view flag);

/// Every flag name, "、"-separated, for messages.
std::string_view FlagNames();

}  // namespace nemis::registry
