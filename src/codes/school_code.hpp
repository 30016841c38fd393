// School (institution) identification codes, 学校标识码: 10 digits = 2-digit school
// category + 2-digit province + 6-digit sequence. Never reassigned; a change of
// category means a new code.
#pragma once

#include <string>
#include <string_view>

namespace nemis::codes {

enum class SchoolCodeProblem {
  kNone,
  kLength,           // not 10 characters
  kCharacters,       // not all ASCII digits
  kUnknownCategory,  // digits 1-2 are not in the school category table
  kUnknownProvince,  // digits 3-4 are not a province-level GB/T 2260 code
};

/// Stable machine-readable code, e.g. "unknown_category" ("" for kNone).
std::string_view SchoolCodeProblemCode(SchoolCodeProblem problem);
/// A message for users, in Chinese.
std::string_view SchoolCodeProblemMessage(SchoolCodeProblem problem);

SchoolCodeProblem CheckSchoolCode(std::string_view code);

/// The 2-digit category ("21"), or empty when the code is shorter than 2 characters.
std::string_view SchoolCodeCategory(std::string_view code);

/// The province as a 6-digit division code ("440000"), or empty when the code is
/// shorter than 4 characters or digits 3-4 are not digits.
std::string SchoolCodeProvince(std::string_view code);

}  // namespace nemis::codes
