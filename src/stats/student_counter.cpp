#include "stats/student_counter.hpp"

#include <algorithm>
#include <unordered_map>

#include "codes/stage.hpp"

namespace nemis::stats {
namespace {

using registry::StatsDimension;

// Grades are stored as int8: the code of a grade is grade + kGradeOffset.
constexpr int kGradeOffset = 128;
constexpr int kNoLastGrade = 127;  // a stage the codes do not know: never promoted

// What a query needs of each school, by org id.
struct SchoolView {
  int32_t child = -1;  // the root's child it rolls up into (kOrg); -1: outside the root
  int64_t promotions = 0;
  uint32_t urban_rural = 0;  // index into Pass::urban_rural_ (0: NULL)
  uint32_t code = 0;         // index into Pass::school_codes_
  uint32_t county = 0;       // index into Pass::counties_ (0: NULL)
  uint32_t type = 0;         // index into the school types (0: NULL)
  bool open = true;
};

// The child of the root's level a school rolls up into, as registry/student_stats.cpp
// groups it: province-direct counties and schools without a city or county roll up as
// themselves.
const std::string& ChildCode(const org::Institution& school, org::OrgLevel root_level) {
  const auto& first =
      [&](std::initializer_list<const std::optional<std::string>*> codes) -> const std::string& {
    for (const auto* c : codes)
      if (*c) return **c;
    return school.code;
  };
  switch (root_level) {
    case org::OrgLevel::kNational:
      return first({&school.province_code});
    case org::OrgLevel::kProvince:
      return first({&school.city_code, &school.county_code});
    case org::OrgLevel::kCity:
      return first({&school.county_code});
    default:
      return school.code;
  }
}

// A dimension's codes and the key each stands for (the SQL roll-up's value).
struct Dimension {
  StatsDimension which;
  std::vector<db::Value> keys;  // code -> key
};

std::vector<db::Value> TextKeys(const CodeDictionary& d) {
  std::vector<db::Value> keys;
  keys.reserve(d.size());
  for (uint32_t code = 0; code < d.size(); ++code) {
    auto text = d.Text(code);
    keys.emplace_back(text ? db::Value(*text) : db::Value());
  }
  return keys;
}

std::vector<db::Value> IntKeys(int64_t from, size_t n) {
  std::vector<db::Value> keys;
  keys.reserve(n);
  for (size_t i = 0; i < n; ++i) keys.emplace_back(from + static_cast<int64_t>(i));
  return keys;
}

constexpr int kFirstBirthYear = 1900;

// The per-query dictionaries of school attributes (built from the root's schools).
struct SchoolKeys {
  std::vector<std::string> children;  // kOrg: the root's children, by index
  CodeDictionary urban_rural{UINT32_MAX}, codes{UINT32_MAX}, counties{UINT32_MAX},
      types{UINT32_MAX};
};

Dimension MakeDimension(StatsDimension d, const StudentColumns& s, const SchoolKeys& schools) {
  switch (d) {
    case StatsDimension::kGrade:
      return {d, IntKeys(-kGradeOffset, 256)};
    case StatsDimension::kGender:
    case StatsDimension::kLeftBehind:
      return {d, IntKeys(0, 256)};
    case StatsDimension::kEthnicity:
      return {d, TextKeys(s.ethnicities)};
    case StatsDimension::kStage:
      return {d, TextKeys(s.stages)};
    case StatsDimension::kDisabilityType:
      return {d, TextKeys(s.disability_types)};
    case StatsDimension::kHukouType:
      return {d, TextKeys(s.hukou_types)};
    case StatsDimension::kStatus:
      return {d, TextKeys(s.statuses)};
    case StatsDimension::kBoarding: {
      auto keys = IntKeys(-1, 256);
      keys[0] = db::Value();  // code 0: NULL
      return {d, std::move(keys)};
    }
    case StatsDimension::kOrg:
      return {d, std::vector<db::Value>(schools.children.begin(), schools.children.end())};
    case StatsDimension::kUrbanRural:
      return {d, TextKeys(schools.urban_rural)};
    case StatsDimension::kSchool:
      return {d, TextKeys(schools.codes)};
    case StatsDimension::kClassNo:
      return {d, TextKeys(s.classes)};
    case StatsDimension::kCounty:
      return {d, TextKeys(schools.counties)};
    case StatsDimension::kSchoolType:
      return {d, TextKeys(schools.types)};
    case StatsDimension::kBirthYear: {
      auto keys = IntKeys(kFirstBirthYear - 1, 257);
      keys[0] = db::Value();  // code 0: no date of birth
      return {d, std::move(keys)};
    }
    default:  // the 0/1 flags
      return {d, IntKeys(0, 2)};
  }
}

uint32_t FlagCode(uint8_t flags, uint8_t bit) { return (flags & bit) ? 1 : 0; }

bool IsSchoolDimension(StatsDimension d) {
  return d == StatsDimension::kOrg || d == StatsDimension::kSchool ||
         d == StatsDimension::kCounty || d == StatsDimension::kUrbanRural ||
         d == StatsDimension::kSchoolType;
}

// 0 for no date of birth, else 1 + the years since kFirstBirthYear (a year outside the 256
// the key holds is counted at its nearer end: a typing error, for the grade-age check).
uint32_t BirthYearCode(uint16_t month_number) {
  if (month_number == 0) return 0;
  const int year = month_number / 12;
  return static_cast<uint32_t>(std::clamp(year - kFirstBirthYear + 1, 1, 256));
}

// Everything one pass needs, prepared once per query.
class Pass {
 public:
  Pass(const Projection& p, const org::Subtree& root, const registry::StatsQuery& query)
      : s_(p.students), query_(query) {
    PrepareSchools(p, root);
    for (auto d : query.by) dimensions_.push_back(MakeDimension(d, s_, keys_));
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

  // The open schools under the root, grouped by the query's dimensions, each a school's own
  // (child, school, county, urban-rural class, type); any other is a student's.
  Result<registry::StatsResult> RunSchools(const std::string& root_code) {
    for (const auto& d : dimensions_)
      if (!IsSchoolDimension(d.which))
        return Error::BadRequest(
            "bad_dimension",
            "学校数只能按学校的属性分组，不能按 " + std::string(registry::DimensionName(d.which)));
    std::unordered_map<uint64_t, int64_t> counts;
    for (const SchoolView& view : schools_) {
      if (view.child < 0 || !view.open) continue;
      uint64_t key = 0;
      for (const auto& d : dimensions_) key = key * d.keys.size() + Code(d.which, 0, view);
      ++counts[key];
    }
    return Tally(root_code, counts);
  }

  Result<registry::StatsResult> Run(const std::string& root_code) {
    uint64_t combinations = 1;
    for (const auto& d : dimensions_) {
      if (d.keys.empty()) return Tally(root_code, {});  // no child: nothing to count
      if (combinations > UINT64_MAX / d.keys.size())
        return Error::BadRequest("bad_dimension", "分组维度组合过多，请减少分组维度");
      combinations *= d.keys.size();
    }
    std::unordered_map<uint64_t, int64_t> counts;
    if (!query_.all_statuses && !current_) return Tally(root_code, counts);
    const size_t slots = s_.Slots();
    for (size_t id = 1; id < slots; ++id) {
      const uint32_t school = s_.school[id];
      if (school == 0 || school >= schools_.size()) continue;
      const SchoolView& view = schools_[school];
      if (view.child < 0) continue;
      if (!query_.all_statuses && s_.status[id] != *current_) continue;
      uint64_t key = 0;
      for (const auto& d : dimensions_) key = key * d.keys.size() + Code(d.which, id, view);
      ++counts[key];
    }
    return Tally(root_code, counts);
  }

  // The students meeting `where` (one condition per dimension of the query, in order).
  StudentIdPage Select(const std::vector<Condition>& where, size_t offset, size_t limit) const {
    StudentIdPage page;
    const size_t slots = s_.Slots();
    for (size_t id = 1; id < slots; ++id) {
      const uint32_t school = s_.school[id];
      if (school == 0 || school >= schools_.size() || schools_[school].child < 0) continue;
      bool meets = true;
      for (size_t i = 0; i < where.size() && meets; ++i) {
        const Dimension& d = dimensions_[i];
        meets = where[i].Matches(d.keys[Code(d.which, id, schools_[school]) % d.keys.size()]);
      }
      if (!meets) continue;
      if (static_cast<size_t>(page.total) >= offset && page.ids.size() < limit)
        page.ids.push_back(static_cast<int64_t>(id));
      ++page.total;
    }
    return page;
  }

 private:
  void PrepareSchools(const Projection& p, const org::Subtree& root) {
    schools_.resize(static_cast<size_t>(p.orgs.IdLimit()));
    std::unordered_map<std::string, int32_t> child_index;
    for (int64_t id = 0; id < p.orgs.IdLimit(); ++id) {
      const OrgEntry* e = p.orgs.ById(id);
      if (!e || e->institution.level != org::OrgLevel::kSchool || !root.Contains(e->institution))
        continue;
      const std::string& child = ChildCode(e->institution, root.level);
      auto [it, added] = child_index.emplace(child, static_cast<int32_t>(keys_.children.size()));
      if (added) keys_.children.push_back(child);
      const uint32_t urban_rural = keys_.urban_rural.Encode(e->institution.urban_rural).value_or(0);
      const uint32_t code = keys_.codes.Encode(e->institution.code).value_or(0);
      const uint32_t county = keys_.counties.Encode(e->institution.county_code).value_or(0);
      const uint32_t type = keys_.types.Encode(e->institution.school_type).value_or(0);
      schools_[static_cast<size_t>(id)] = {it->second, e->promotions, urban_rural,        code,
                                           county,     type,          e->institution.open};
    }
  }

  int GradeNow(size_t id, const SchoolView& view) const {
    // NOLINTNEXTLINE(bugprone-signed-char-misuse): an int8 grade (-2 ... 12), not a character
    const int grade = s_.grade[id];
    if (!in_school_[s_.status[id]] || view.promotions <= s_.grade_mark[id]) return grade;
    const int last = last_grade_[s_.stage[id]];
    if (grade >= last) return grade;
    return static_cast<int>(std::min<int64_t>(grade + (view.promotions - s_.grade_mark[id]), last));
  }

  uint64_t Code(StatsDimension d, size_t id, const SchoolView& view) const {
    switch (d) {
      case StatsDimension::kGrade:
        return static_cast<uint64_t>(static_cast<int64_t>(GradeNow(id, view)) + kGradeOffset);
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
      case StatsDimension::kOrg:
        return static_cast<uint64_t>(view.child);
      case StatsDimension::kUrbanRural:
        return view.urban_rural;
      case StatsDimension::kSchool:
        return view.code;
      case StatsDimension::kClassNo:
        return s_.class_no[id];
      case StatsDimension::kCounty:
        return view.county;
      case StatsDimension::kBirthYear:
        return BirthYearCode(s_.birth_month[id]);
      case StatsDimension::kSchoolType:
        return view.type;
    }
    return 0;
  }

  registry::StatsResult Tally(const std::string& root_code,
                              const std::unordered_map<uint64_t, int64_t>& counts) const {
    registry::StatsResult result{root_code, query_.by, {}, 0};
    result.rows.reserve(counts.size());
    for (const auto& [key, count] : counts) {
      registry::StatsRow row;
      row.keys.resize(dimensions_.size());
      uint64_t rest = key;
      for (size_t i = dimensions_.size(); i-- > 0;) {
        row.keys[i] = dimensions_[i].keys[rest % dimensions_[i].keys.size()];
        rest /= dimensions_[i].keys.size();
      }
      row.count = count;
      result.total += count;
      result.rows.push_back(std::move(row));
    }
    if (dimensions_.empty() && result.rows.empty())  // as SQL's COUNT(*) without GROUP BY
      result.rows.push_back({{}, 0});
    std::sort(result.rows.begin(), result.rows.end(),
              [](const registry::StatsRow& a, const registry::StatsRow& b) {
                return a.keys < b.keys;  // NULL first, then by value (one type per column)
              });
    return result;
  }

  const StudentColumns& s_;
  const registry::StatsQuery& query_;
  std::vector<SchoolView> schools_;
  SchoolKeys keys_;  // of the root's schools
  std::vector<Dimension> dimensions_;
  std::vector<bool> in_school_;      // by status code: promoted (01 在读, 05 复学)
  std::vector<int> last_grade_;      // by stage code
  std::optional<uint32_t> current_;  // the code of status 01, if any student has it
};

}  // namespace

Result<registry::StatsResult> CountUnder(const Projection& p, const org::Subtree& root,
                                         const registry::StatsQuery& query) {
  return Pass(p, root, query).Run(root.code);
}

Result<registry::StatsResult> CountSchoolsUnder(const Projection& p, const org::Subtree& root,
                                                const std::vector<StatsDimension>& by) {
  const registry::StatsQuery query{root.code, by, /*all_statuses=*/true};
  return Pass(p, root, query).RunSchools(root.code);
}

Result<StudentIdPage> SelectUnder(const Projection& p, const org::Subtree& root,
                                  const std::vector<Condition>& where, size_t offset,
                                  size_t limit) {
  registry::StatsQuery query{root.code, {}, /*all_statuses=*/true};
  for (const Condition& c : where) query.by.push_back(c.dimension);
  return Pass(p, root, query).Select(where, offset, limit);
}

Result<org::Subtree> ResolveRoot(const Projection& p, const org::Scope& caller,
                                 const std::string& org_code) {
  if (org_code.empty()) {
    if (const org::Subtree* single = caller.Single()) return *single;
    return Error::Invalid(
        {{"org", "org_required", "您的权限范围包含多个机构，请用 org 参数指定其中一个"}});
  }
  const OrgEntry* e = p.orgs.ByCode(org_code);
  if (!e || !caller.Contains(e->institution))
    return Error::NotFound("机构 " + org_code + " 不存在");
  return org::Subtree::Of(e->institution);
}

}  // namespace nemis::stats
