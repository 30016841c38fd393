#include "stats/student_codes.hpp"

#include <algorithm>

#include "codes/stage.hpp"
#include "stats/org_table.hpp"

namespace nemis::stats {
namespace {

using registry::StatsDimension;

// Grades are stored as int8: the code of a grade is grade + kGradeOffset.
constexpr int kGradeOffset = 128;
constexpr int kNoLastGrade = 127;  // a stage the codes do not know: never promoted
constexpr int kFirstBirthYear = 1900;

std::vector<db::Value> IntKeys(int64_t from, size_t n) {
  std::vector<db::Value> keys;
  keys.reserve(n);
  for (size_t i = 0; i < n; ++i) keys.emplace_back(from + static_cast<int64_t>(i));
  return keys;
}

uint32_t FlagCode(uint8_t flags, uint8_t bit) { return (flags & bit) ? 1 : 0; }

// 0 for no date of birth, else 1 + the years since kFirstBirthYear (a year outside the 256
// the key holds is counted at its nearer end: a typing error, for the grade-age check).
uint32_t BirthYearCode(uint16_t month_number) {
  if (month_number == 0) return 0;
  const int year = month_number / 12;
  return static_cast<uint32_t>(std::clamp(year - kFirstBirthYear + 1, 1, 256));
}

}  // namespace

std::vector<db::Value> DictionaryKeys(const CodeDictionary& d) {
  std::vector<db::Value> keys;
  keys.reserve(d.size());
  for (uint32_t code = 0; code < d.size(); ++code) {
    auto text = d.Text(code);
    keys.emplace_back(text ? db::Value(*text) : db::Value());
  }
  return keys;
}

bool IsSchoolDimension(StatsDimension d) {
  return d == StatsDimension::kOrg || d == StatsDimension::kSchool ||
         d == StatsDimension::kCounty || d == StatsDimension::kUrbanRural ||
         d == StatsDimension::kSchoolType;
}

db::Value SchoolKey(StatsDimension d, const org::Institution& school, org::OrgLevel root_level) {
  const auto text = [](const std::optional<std::string>& t) {
    return t ? db::Value(*t) : db::Value();
  };
  switch (d) {
    case StatsDimension::kOrg:
      return ChildOf(school, root_level).code;
    case StatsDimension::kUrbanRural:
      return text(school.urban_rural);
    case StatsDimension::kSchoolType:
      return text(school.school_type);
    case StatsDimension::kCounty:
      return text(school.county_code);
    default:  // kSchool
      return db::Value(school.code);
  }
}

StudentCodes::StudentCodes(const StudentColumns& s) : s_(s) {
  for (uint32_t code = 0; code < s_.statuses.size(); ++code) {
    auto text = s_.statuses.Text(code);
    in_school_.push_back(text && (*text == "01" || *text == "05"));
  }
  for (uint32_t code = 0; code < s_.stages.size(); ++code) {
    auto stage = codes::ParseStage(s_.stages.Text(code).value_or(""));
    last_grade_.push_back(stage ? codes::LastGrade(*stage) : kNoLastGrade);
  }
  current_ = s_.statuses.Find("01");
}

uint64_t StudentCodes::Radix(StatsDimension d) {
  switch (d) {
    case StatsDimension::kMigrantChild:
    case StatsDimension::kOrphan:
    case StatsDimension::kMartyrChild:
    case StatsDimension::kInRegularClass:
      return 2;
    case StatsDimension::kClassNo:
      return 65536;
    case StatsDimension::kBirthYear:
      return 257;
    default:  // a code of one byte
      return 256;
  }
}

DimensionKeys StudentCodes::Keys(StatsDimension d) const {
  switch (d) {
    case StatsDimension::kGrade:
      return {d, IntKeys(-kGradeOffset, 256), 256};
    case StatsDimension::kGender:
    case StatsDimension::kLeftBehind:
      return {d, IntKeys(0, 256), 256};
    case StatsDimension::kEthnicity:
      return {d, DictionaryKeys(s_.ethnicities), 256};
    case StatsDimension::kStage:
      return {d, DictionaryKeys(s_.stages), 256};
    case StatsDimension::kDisabilityType:
      return {d, DictionaryKeys(s_.disability_types), 256};
    case StatsDimension::kHukouType:
      return {d, DictionaryKeys(s_.hukou_types), 256};
    case StatsDimension::kStatus:
      return {d, DictionaryKeys(s_.statuses), 256};
    case StatsDimension::kBoarding: {
      auto keys = IntKeys(-1, 256);
      keys[0] = db::Value();  // code 0: NULL
      return {d, std::move(keys), 256};
    }
    case StatsDimension::kClassNo:
      return {d, DictionaryKeys(s_.classes), 65536};
    case StatsDimension::kBirthYear: {
      auto keys = IntKeys(kFirstBirthYear - 1, 257);
      keys[0] = db::Value();  // code 0: no date of birth
      return {d, std::move(keys), 257};
    }
    default:  // the 0/1 flags (a school's dimensions are keyed by the counter)
      return {d, IntKeys(0, 2), 2};
  }
}

int StudentCodes::GradeNow(size_t id, int64_t promotions) const {
  // NOLINTNEXTLINE(bugprone-signed-char-misuse): an int8 grade (-2 ... 12), not a character
  const int grade = s_.grade[id];
  const uint8_t status = s_.status[id];
  if (status >= in_school_.size() || !in_school_[status] || promotions <= s_.grade_mark[id])
    return grade;
  const uint8_t stage = s_.stage[id];
  const int last = stage < last_grade_.size() ? last_grade_[stage] : kNoLastGrade;
  if (grade >= last) return grade;
  return static_cast<int>(std::min<int64_t>(grade + (promotions - s_.grade_mark[id]), last));
}

uint64_t StudentCodes::Code(StatsDimension d, size_t id, int64_t promotions) const {
  switch (d) {
    case StatsDimension::kGrade:
      return static_cast<uint64_t>(static_cast<int64_t>(GradeNow(id, promotions)) + kGradeOffset);
    case StatsDimension::kGender:
      return s_.gender[id];
    case StatsDimension::kEthnicity:
      return s_.ethnicity[id];
    case StatsDimension::kStage:
      return s_.stage[id];
    case StatsDimension::kDisabilityType:
      return s_.disability_type[id];
    case StatsDimension::kHukouType:
      return s_.hukou_type[id];
    case StatsDimension::kStatus:
      return s_.status[id];
    case StatsDimension::kLeftBehind:
      return s_.left_behind[id];
    case StatsDimension::kMigrantChild:
      return FlagCode(s_.flags[id], kMigrantChild);
    case StatsDimension::kOrphan:
      return FlagCode(s_.flags[id], kOrphan);
    case StatsDimension::kMartyrChild:
      return FlagCode(s_.flags[id], kMartyrChild);
    case StatsDimension::kInRegularClass:
      return FlagCode(s_.flags[id], kInRegularClass);
    case StatsDimension::kBoarding:
      return s_.boarding[id];
    case StatsDimension::kClassNo:
      return s_.class_no[id];
    case StatsDimension::kBirthYear:
      return BirthYearCode(s_.birth_month[id]);
    default:  // a school's dimension: not a student's
      return 0;
  }
}

registry::StatsResult Tally(const std::string& root_code, const std::vector<StatsDimension>& by,
                            const std::vector<DimensionKeys>& dimensions,
                            const std::vector<std::pair<uint64_t, int64_t>>& counts) {
  registry::StatsResult result{root_code, by, {}, 0};
  result.rows.reserve(counts.size());
  for (const auto& [key, count] : counts) {
    registry::StatsRow row;
    row.keys.resize(dimensions.size());
    uint64_t rest = key;
    for (size_t i = dimensions.size(); i-- > 0;) {
      row.keys[i] = dimensions[i].keys[rest % dimensions[i].radix];
      rest /= dimensions[i].radix;
    }
    row.count = count;
    result.total += count;
    result.rows.push_back(std::move(row));
  }
  if (dimensions.empty() && result.rows.empty())  // as SQL's COUNT(*) without GROUP BY
    result.rows.push_back({{}, 0});
  std::sort(result.rows.begin(), result.rows.end(),
            [](const registry::StatsRow& a, const registry::StatsRow& b) {
              return a.keys < b.keys;  // NULL first, then by value (one type per column)
            });
  return result;
}

}  // namespace nemis::stats
