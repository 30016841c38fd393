#include "registry/student_stats.hpp"

#include <array>
#include <set>

#include "org/org_store.hpp"
#include "registry/current_grade.hpp"

namespace nemis::registry {
namespace {

struct DimensionSpec {
  StatsDimension dimension;
  std::string_view name;
  std::string_view column;  // empty for kOrg, whose column depends on the level
};

constexpr std::array<DimensionSpec, 20> kDimensions = {{
    {StatsDimension::kGrade, "grade", "s.grade"},
    {StatsDimension::kGender, "gender", "s.gender"},
    {StatsDimension::kEthnicity, "ethnicity", "s.ethnicity"},
    {StatsDimension::kStage, "stage", "s.stage"},
    {StatsDimension::kLeftBehind, "leftBehind", "s.left_behind"},
    {StatsDimension::kMigrantChild, "migrantChild", "s.migrant_child"},
    {StatsDimension::kOrphan, "orphan", "s.orphan"},
    {StatsDimension::kMartyrChild, "martyrChild", "s.martyr_child"},
    {StatsDimension::kDisabilityType, "disabilityType", "s.disability_type"},
    {StatsDimension::kInRegularClass, "inRegularClass", "s.in_regular_class"},
    {StatsDimension::kBoarding, "boarding", "s.boarding"},
    {StatsDimension::kHukouType, "hukouType", "s.hukou_type"},
    {StatsDimension::kStatus, "status", "s.status"},
    {StatsDimension::kOrg, "org", ""},
    {StatsDimension::kUrbanRural, "urbanRural",
     "(SELECT urban_rural FROM org WHERE id = s.school_id)"},
    {StatsDimension::kSchool, "school", "s.school_code"},
    {StatsDimension::kClassNo, "classNo", "s.class_no"},
    {StatsDimension::kCounty, "county", "s.county_code"},
    {StatsDimension::kBirthYear, "birthYear", "CAST(substr(s.birth_date, 1, 4) AS INTEGER)"},
    {StatsDimension::kSchoolType, "schoolType",
     "(SELECT school_type FROM org WHERE id = s.school_id)"},
}};
static_assert(kDimensions.back().dimension == StatsDimension::kSchoolType,
              "one entry per dimension");

// The child institution of `level` a student belongs to. Province-direct counties
// and higher-education schools have no city; cities without counties hold schools.
std::string_view ChildOrgColumn(org::OrgLevel level) {
  switch (level) {
    case org::OrgLevel::kNational:
      return "s.province_code";
    case org::OrgLevel::kProvince:
      return "COALESCE(s.city_code, s.county_code, s.school_code)";
    case org::OrgLevel::kCity:
      return "COALESCE(s.county_code, s.school_code)";
    default:
      return "s.school_code";
  }
}

}  // namespace

std::string DimensionSql(StatsDimension d, org::OrgLevel level) {
  if (d == StatsDimension::kOrg) return std::string(ChildOrgColumn(level));
  // The grade now, not as stored (current_grade.hpp).
  if (d == StatsDimension::kGrade) return CurrentGradeSql(SchoolPromotionsSql());
  return std::string(kDimensions[static_cast<size_t>(d)].column);
}

namespace {

// The root of the roll-up: the institution asked for, if the caller reaches it, or
// else the caller's own subtree (which must then be a single one).
Result<org::Subtree> ResolveRoot(db::Connection& c, const org::Scope& caller,
                                 const std::string& code) {
  if (code.empty()) {
    if (const org::Subtree* single = caller.Single()) return *single;
    return Error::Invalid(
        {{"org", "org_required", "您的权限范围包含多个机构，请用 org 参数指定其中一个"}});
  }
  NEMIS_ASSIGN_OR_RETURN(auto inst, org::OrgStore::Load(c, code));
  if (!inst || !caller.Contains(*inst)) return Error::NotFound("机构 " + code + " 不存在");
  return org::Subtree::Of(*inst);
}

}  // namespace

std::string_view DimensionName(StatsDimension d) {
  return kDimensions[static_cast<size_t>(d)].name;
}

std::optional<StatsDimension> ParseDimension(std::string_view name) {
  for (const auto& spec : kDimensions)
    if (spec.name == name) return spec.dimension;
  return std::nullopt;
}

const std::vector<StatsDimension>& AllDimensions() {
  static const std::vector<StatsDimension> all = [] {
    std::vector<StatsDimension> v;
    v.reserve(kDimensions.size());
    for (const auto& spec : kDimensions) v.push_back(spec.dimension);
    return v;
  }();
  return all;
}

Result<std::vector<StatsDimension>> ParseDimensions(std::string_view text) {
  std::vector<StatsDimension> by;
  std::set<StatsDimension> seen;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view name = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    auto d = ParseDimension(name);
    if (!d) {
      std::string known;
      for (auto k : AllDimensions())
        known += (known.empty() ? "" : ", ") + std::string(DimensionName(k));
      return Error::BadRequest("bad_dimension",
                               "不支持按 “" + std::string(name) + "” 分组；可用：" + known);
    }
    if (!seen.insert(*d).second)
      return Error::BadRequest("bad_dimension", "分组维度重复：" + std::string(name));
    by.push_back(*d);
  }
  return by;
}

namespace {

// "1, 2, ..., n".
std::string Positions(size_t n) {
  std::string out;
  for (size_t i = 1; i <= n; ++i) out += (i > 1 ? ", " : "") + std::to_string(i);
  return out;
}

// "<dimension> AS k1, ..., " for `by` at `level`.
std::string KeyColumns(const std::vector<StatsDimension>& by, org::OrgLevel level) {
  std::string columns;
  for (size_t i = 0; i < by.size(); ++i) {
    columns += DimensionSql(by[i], level) + " AS k" + std::to_string(i + 1) + ", ";
  }
  return columns;
}

constexpr std::string_view kInSchool = " AND s.status = '01'";

// The count under `scope`'s one subtree at `level` (its parameters borrow from `scope`).
db::SqlBuilder CountUnderSql(const org::Scope& scope, org::OrgLevel level,
                             const StatsQuery& query) {
  db::SqlBuilder sql("SELECT " + KeyColumns(query.by, level) +
                     "COUNT(*) AS n FROM student s WHERE 1 = 1");
  scope.AddFilter(sql, org::ScopedTable::kStudent, "s");
  if (!query.all_statuses) sql.Add(kInSchool);
  if (!query.by.empty()) {
    sql.Add(" GROUP BY " + Positions(query.by.size()) + " ORDER BY " + Positions(query.by.size()));
  }
  return sql;
}

}  // namespace

std::string NationalCountSql(const std::vector<StatsDimension>& by, bool all_statuses) {
  // The province leads the inner grouping, so that no sorted path over every partition
  // serves the outer grouping better than each shard's own count does.
  std::string inner = "SELECT s.province_code AS p, " + KeyColumns(by, org::OrgLevel::kNational) +
                      "COUNT(*) AS n FROM student s WHERE 1 = 1";
  if (!all_statuses) inner += kInSchool;
  inner += " GROUP BY " + Positions(by.size() + 1);
  std::string keys;
  for (size_t i = 1; i <= by.size(); ++i) keys += "k" + std::to_string(i) + ", ";
  std::string sql = "SELECT " + keys + "CAST(SUM(n) AS BIGINT) FROM (" + inner + ") per_province";
  if (!by.empty()) sql += " GROUP BY " + Positions(by.size()) + " ORDER BY " + Positions(by.size());
  return sql;
}

Result<StatsResult> CountStudents(db::Database& db, const org::Scope& caller,
                                  const StatsQuery& query) {
  return db.Read<StatsResult>([&](db::Connection& c) -> Result<StatsResult> {
    NEMIS_ASSIGN_OR_RETURN(org::Subtree root, ResolveRoot(c, caller, query.org_code));
    const org::Scope scope(root);
    const db::SqlBuilder sql = root.level == org::OrgLevel::kNational
                                   ? db::SqlBuilder(NationalCountSql(query.by, query.all_statuses))
                                   : CountUnderSql(scope, root.level, query);
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    StatsResult result{root.code, query.by, {}, 0};
    for (const auto& row : rs.rows) {
      StatsRow out;
      for (size_t i = 0; i < query.by.size(); ++i) out.keys.push_back(row.at(i));
      out.count = row.Int(query.by.size());
      result.total += out.count;
      result.rows.push_back(std::move(out));
    }
    return result;
  });
}

}  // namespace nemis::registry
