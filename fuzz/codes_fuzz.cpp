// Division codes (GB/T 2260), school codes (学校标识码), stages and grades, the national
// code tables and the field texts of student records (dates as Excel writes them, phone
// numbers, yes/no flags): src/codes and src/registry/field_parsing.hpp. The input is one
// cell's text. Checks:
// - FindDivision and IsKnownDivision agree; a division's province and prefecture are
//   well-formed codes of the same province; its children are known and one level down;
// - a valid school code has a known category and a province-level division;
// - stages and grades round-trip through their ids and labels;
// - a code found by code or name is a code of its table; dates and months come back valid.
#include <string>

#include "codes/code_tables.hpp"
#include "codes/division.hpp"
#include "codes/school_code.hpp"
#include "codes/stage.hpp"
#include "fuzz_check.hpp"
#include "registry/field_parsing.hpp"

namespace nemis::fuzz {
namespace {

void CheckDivision(std::string_view code) {
  const codes::Division* d = codes::FindDivision(code);
  FUZZ_CHECK((d != nullptr) == codes::IsKnownDivision(code), "FindDivision and IsKnownDivision");
  if (d) FUZZ_CHECK(d->code == code, "FindDivision found another code");
  auto level = codes::DivisionLevelOf(code);
  std::string province = codes::ProvinceOf(code);
  std::string prefecture = codes::PrefectureOf(code);
  if (!level) return;
  FUZZ_CHECK(province.size() == 6 && province.substr(0, 2) == code.substr(0, 2) &&
                 province.substr(2) == "0000",
             "ProvinceOf of a well-formed code");
  if (!prefecture.empty())
    FUZZ_CHECK(prefecture.size() == 6 && prefecture.substr(0, 2) == code.substr(0, 2),
               "PrefectureOf in another province");
  for (const codes::Division* child : codes::ChildDivisions(code)) {
    FUZZ_CHECK(codes::FindDivision(child->code) == child, "a child that FindDivision misses");
    FUZZ_CHECK(codes::ProvinceOf(child->code) == province, "a child in another province");
    auto child_level = codes::DivisionLevelOf(child->code);
    FUZZ_CHECK(child_level && *child_level > *level, "a child not below its parent");
  }
}

void CheckSchoolCode(std::string_view code) {
  codes::SchoolCodeProblem problem = codes::CheckSchoolCode(code);
  std::string_view category = codes::SchoolCodeCategory(code);
  std::string province = codes::SchoolCodeProvince(code);
  (void)codes::SchoolCodeProblemMessage(problem);
  if (problem != codes::SchoolCodeProblem::kNone) {
    FUZZ_CHECK(!codes::SchoolCodeProblemCode(problem).empty(), "a problem without a code");
    return;
  }
  FUZZ_CHECK(category.size() == 2 && codes::SchoolCategoryCodes().Find(category),
             "valid school code of an unknown category");
  FUZZ_CHECK(codes::DivisionLevelOf(province) == codes::DivisionLevel::kProvince &&
                 codes::IsKnownDivision(province),
             "valid school code of an unknown province");
}

void CheckStagesAndGrades(std::string_view text) {
  static constexpr codes::Stage kStages[] = {codes::Stage::kPreschool,  codes::Stage::kPrimary,
                                             codes::Stage::kJunior,     codes::Stage::kSenior,
                                             codes::Stage::kVocational, codes::Stage::kHigher};
  if (auto stage = codes::ParseStage(text)) {
    FUZZ_CHECK(codes::ParseStage(codes::StageId(*stage)) == stage, "stage id round trip");
    FUZZ_CHECK(codes::ParseStage(codes::StageName(*stage)) == stage, "stage name round trip");
  }
  if (auto grade = codes::ParseGrade(text)) {
    for (codes::Stage stage : kStages) {
      if (!codes::GradeInStage(stage, *grade)) continue;
      std::string label = codes::GradeLabel(stage, *grade);
      FUZZ_CHECK(!label.empty(), "a grade of a stage without a label");
      FUZZ_CHECK(codes::ParseGrade(label) == grade, "grade label round trip");
    }
    if (auto stage = codes::StageForGrade(text, *grade))
      FUZZ_CHECK(codes::GradeInStage(*stage, *grade), "StageForGrade gives a stage without it");
  }
  for (codes::Stage stage : codes::StagesOfSchoolType(text)) (void)codes::StageId(stage);
  (void)codes::SchoolTypeMatchesCategory(text, text.substr(0, 2));
  (void)codes::UrbanRuralClass(text);
}

void CheckFieldTexts(std::string_view text) {
  namespace in = registry::internal;
  for (const codes::CodeTable* table : codes::AllCodeTables()) {
    if (auto code = in::ParseCoded(text, *table))
      FUZZ_CHECK(table->Find(*code) != nullptr, "ParseCoded gave a code not in its table");
  }
  (void)in::ParseInt(text);
  if (auto flag = in::ParseFlag(text)) FUZZ_CHECK(*flag == 0 || *flag == 1, "a flag not 0 or 1");
  if (auto date = in::ParseDateText(text)) {
    FUZZ_CHECK(date->IsValid(), "ParseDateText gave an invalid date");
    FUZZ_CHECK(in::ParseDateText(date->ToIso()) == date, "date ISO round trip");
  }
  if (auto month = in::ParseYearMonth(text)) {
    FUZZ_CHECK(month->size() == 7 && (*month)[4] == '-', "ParseYearMonth shape");
    FUZZ_CHECK(in::ParseYearMonth(*month) == month, "year-month round trip");
  }
  (void)in::IsPhoneNumber(text);
}

}  // namespace
}  // namespace nemis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = nemis::fuzz::AsText(data, size);
  nemis::fuzz::CheckDivision(text);
  nemis::fuzz::CheckSchoolCode(text);
  nemis::fuzz::CheckStagesAndGrades(text);
  nemis::fuzz::CheckFieldTexts(text);
  return 0;
}
