#include "codes/stage.hpp"

#include <array>

#include "codes/code_tables.hpp"

namespace nemis::codes {
namespace {

struct StageInfo {
  Stage stage;
  std::string_view id;
  std::string_view name;
  int first_grade;
  int last_grade;
};

constexpr std::array<StageInfo, 6> kStages = {{
    {Stage::kPreschool, "preschool", "学前", -2, 0},
    {Stage::kPrimary, "primary", "小学", 1, 6},
    {Stage::kJunior, "junior", "初中", 6, 9},  // 6: the first junior year under 五四制
    {Stage::kSenior, "senior", "高中", 10, 12},
    {Stage::kVocational, "vocational", "中职", 10, 12},
    {Stage::kHigher, "higher", "高校", 13, 17},
}};

const StageInfo& Info(Stage stage) { return kStages[static_cast<size_t>(stage)]; }

struct StageAlias {
  std::string_view text;
  Stage stage;
};
constexpr StageAlias kAliases[] = {
    {"幼儿园", Stage::kPreschool},
    {"学前教育", Stage::kPreschool},
    {"普通高中", Stage::kSenior},
    {"中等职业教育", Stage::kVocational},
    {"中等职业学校", Stage::kVocational},
    {"高等教育", Stage::kHigher},
    {"大学", Stage::kHigher},
};

constexpr std::string_view kDigitNames[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
constexpr std::string_view kPreschoolLabels[] = {"小班", "中班", "大班"};

struct GradeAlias {
  std::string_view text;
  int grade;
};
constexpr GradeAlias kGradeAliases[] = {{"初一", 7}, {"初二", 8}, {"初三", 9}};

// A plain number ("7", "-2"), at most two digits.
std::optional<int> ParseNumber(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > 2) return std::nullopt;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

}  // namespace

std::string_view StageId(Stage stage) { return Info(stage).id; }
std::string_view StageName(Stage stage) { return Info(stage).name; }

std::optional<Stage> ParseStage(std::string_view text) {
  for (const StageInfo& s : kStages)
    if (text == s.id || text == s.name) return s.stage;
  for (const StageAlias& a : kAliases)
    if (text == a.text) return a.stage;
  return std::nullopt;
}

int LastGrade(Stage stage) { return Info(stage).last_grade; }

const std::vector<Stage>& AllStages() {
  static const std::vector<Stage> all = [] {
    std::vector<Stage> out;
    out.reserve(kStages.size());
    for (const StageInfo& s : kStages) out.push_back(s.stage);
    return out;
  }();
  return all;
}

bool GradeInStage(Stage stage, int grade) {
  const StageInfo& s = Info(stage);
  return grade >= s.first_grade && grade <= s.last_grade;
}

std::string GradeLabel(Stage stage, int grade) {
  if (!GradeInStage(stage, grade)) return {};
  switch (stage) {
    case Stage::kPreschool:
      return std::string(kPreschoolLabels[grade + 2]);
    case Stage::kPrimary:
    case Stage::kJunior:
      return std::string(kDigitNames[grade - 1]) + "年级";
    case Stage::kSenior:
      return "高" + std::string(kDigitNames[grade - 10]);
    case Stage::kVocational:
      return "中职" + std::string(kDigitNames[grade - 10]) + "年级";
    case Stage::kHigher:
      return "大" + std::string(kDigitNames[grade - 13]);
  }
  return {};
}

std::optional<int> ParseGrade(std::string_view text) {
  if (auto n = ParseNumber(text)) {
    if (*n >= Info(Stage::kPreschool).first_grade && *n <= Info(Stage::kHigher).last_grade)
      return n;
    return std::nullopt;
  }
  for (const GradeAlias& a : kGradeAliases)
    if (text == a.text) return a.grade;
  for (const StageInfo& s : kStages)
    for (int g = s.first_grade; g <= s.last_grade; ++g)
      if (GradeLabel(s.stage, g) == text) return g;
  return std::nullopt;
}

std::vector<Stage> StagesOfSchoolType(std::string_view type) {
  using enum Stage;
  if (SchoolTypeCodes().Find(type) == nullptr) return {};
  if (type == "312") return {kPrimary, kJunior};
  if (type == "341") return {kJunior, kSenior};
  if (type == "345") return {kPrimary, kJunior, kSenior};
  switch (type[0]) {
    case '1':
      return {kPreschool};
    case '2':
      return {kPrimary};
    case '3':
      return type[1] == '1' || type[1] == '2' ? std::vector{kJunior}
             : type[1] == '4'                 ? std::vector{kSenior}
                                              : std::vector{kVocational};
    case '4':
      return {kHigher};
    case '5':
      return {kPrimary, kJunior};  // special-education schools teach the compulsory grades
  }
  return {};
}

bool SchoolTypeMatchesCategory(std::string_view type, std::string_view category) {
  // A type's first two digits name its category (321 职业初中 -> 32, 365 技工学校 -> 36).
  return SchoolTypeCodes().Find(type) != nullptr &&
         SchoolCategoryCodes().Find(category) != nullptr && type.substr(0, 2) == category;
}

std::optional<Stage> StageForGrade(std::string_view type, int grade) {
  for (Stage s : StagesOfSchoolType(type))
    if (GradeInStage(s, grade)) return s;  // lowest first: grade 6 goes to 小学
  return std::nullopt;
}

}  // namespace nemis::codes
