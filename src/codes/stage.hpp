// Stages (学段) and the one global grade scale used everywhere in NEMIS:
//   学前 -2..0 (小班 -2, 中班 -1, 大班 0); 小学 1..6; 初中 7..9, and 6 under 五四制;
//   高中 10..12; 中职 10..12 (中职一年级 = 10); 高校 13..17 (大一 = 13).
// Also which stages each school type (办学类型) holds.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nemis::codes {

enum class Stage { kPreschool, kPrimary, kJunior, kSenior, kVocational, kHigher };

/// "preschool", "primary", "junior", "senior", "vocational", "higher".
std::string_view StageId(Stage stage);
/// 学前, 小学, 初中, 高中, 中职, 高校.
std::string_view StageName(Stage stage);
/// Accepts an id or a Chinese name (also 幼儿园, 普通高中, 中等职业教育, 高等教育).
std::optional<Stage> ParseStage(std::string_view id_or_name);

bool GradeInStage(Stage stage, int grade);
/// The stage's final grade on the global scale (小学 6, 初中 9, 高中 12, ...).
int LastGrade(Stage stage);
/// Every stage, lowest first.
const std::vector<Stage>& AllStages();

/// 小班 中班 大班; 一年级..六年级; 七年级 八年级 九年级 (and 六年级 under 五四制);
/// 高一 高二 高三; 中职一年级..中职三年级; 大一..大五. Empty when the grade is not in the stage.
std::string GradeLabel(Stage stage, int grade);

/// Accepts a number on the global scale ("1", "-2") or a label GradeLabel produces;
/// also 初一..初三. nullopt when neither.
std::optional<int> ParseGrade(std::string_view text);

/// The stages a school of this 3-digit type holds, lowest first; empty for unknown types.
std::vector<Stage> StagesOfSchoolType(std::string_view school_type);

/// Whether a school type belongs under a 2-digit school category (312 under 31, 345 under 34).
bool SchoolTypeMatchesCategory(std::string_view school_type, std::string_view category);

/// The stage of a grade at a school of this type when the 学段 is not given: nullopt when
/// the school does not hold the grade. Grade 6 in a school holding both 小学 and 初中
/// resolves to 小学 (六三制, the national default); 五四制 schools must say 初中.
std::optional<Stage> StageForGrade(std::string_view school_type, int grade);

}  // namespace nemis::codes
