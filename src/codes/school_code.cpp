#include "codes/school_code.hpp"

#include "codes/code_tables.hpp"
#include "codes/division.hpp"

namespace nemis::codes {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::string_view SchoolCodeProblemCode(SchoolCodeProblem problem) {
  switch (problem) {
    case SchoolCodeProblem::kNone:
      return "";
    case SchoolCodeProblem::kLength:
      return "bad_length";
    case SchoolCodeProblem::kCharacters:
      return "bad_characters";
    case SchoolCodeProblem::kUnknownCategory:
      return "unknown_category";
    case SchoolCodeProblem::kUnknownProvince:
      return "unknown_province";
  }
  return "";
}

std::string_view SchoolCodeProblemMessage(SchoolCodeProblem problem) {
  switch (problem) {
    case SchoolCodeProblem::kNone:
      return "";
    case SchoolCodeProblem::kLength:
      return "学校标识码应为10位";
    case SchoolCodeProblem::kCharacters:
      return "学校标识码应全部为数字";
    case SchoolCodeProblem::kUnknownCategory:
      return "学校标识码前2位不是有效的学校类别代码";
    case SchoolCodeProblem::kUnknownProvince:
      return "学校标识码第3-4位不是有效的省级行政区划代码";
  }
  return "";
}

SchoolCodeProblem CheckSchoolCode(std::string_view code) {
  if (code.size() != 10) return SchoolCodeProblem::kLength;
  if (!AllDigits(code)) return SchoolCodeProblem::kCharacters;
  if (SchoolCategoryCodes().Find(code.substr(0, 2)) == nullptr)
    return SchoolCodeProblem::kUnknownCategory;
  const Division* province = FindDivision(SchoolCodeProvince(code));
  if (province == nullptr || !province->current) return SchoolCodeProblem::kUnknownProvince;
  return SchoolCodeProblem::kNone;
}

std::string_view SchoolCodeCategory(std::string_view code) {
  return code.size() < 2 ? std::string_view() : code.substr(0, 2);
}

std::string SchoolCodeProvince(std::string_view code) {
  if (code.size() < 4 || !AllDigits(code.substr(2, 2))) return {};
  return std::string(code.substr(2, 2)) + "0000";
}

}  // namespace nemis::codes
