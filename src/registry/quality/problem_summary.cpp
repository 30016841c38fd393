#include "db/sql_builder.hpp"
#include "org/org_store.hpp"
#include "registry/quality/problem_records.hpp"
#include "registry/quality/problem_scope.hpp"

namespace nemis::registry::quality {
namespace {

// The column of a level's code, and of its children's, on problem_record (one side).
std::string_view LevelColumn(org::OrgLevel level) {
  switch (level) {
    case org::OrgLevel::kNational:
      return "";
    case org::OrgLevel::kProvince:
      return "province_code";
    case org::OrgLevel::kCity:
      return "city_code";
    case org::OrgLevel::kCounty:
      return "county_code";
    case org::OrgLevel::kSchool:
      return "school_code";
  }
  return "";
}

std::string_view ChildColumn(org::OrgLevel level) {
  if (level == org::OrgLevel::kNational) return "province_code";
  if (level == org::OrgLevel::kProvince) return "city_code";
  if (level == org::OrgLevel::kCity) return "county_code";
  return "school_code";
}

// "CASE WHEN p.<side>county_code = $1 THEN 1 ELSE 0 END": the side lies in the subtree.
void AddInside(db::SqlBuilder& sql, const org::Institution& at, std::string_view side) {
  std::string_view column = LevelColumn(at.level);
  if (column.empty()) {
    sql.Add(std::string(", CASE WHEN p.") + std::string(side) +
            "school_code IS NULL THEN 0 ELSE 1 END");
    return;
  }
  sql.Add(", CASE WHEN p." + std::string(side) + std::string(column) + " = $1 THEN 1 ELSE 0 END",
          {at.code});
}

// A side without a child of the level (a school directly under a province has no city):
// counted under the school itself.
std::string ChildOf(const db::Row& r, size_t child, size_t school) {
  return r.IsNull(child) ? r.Text(school) : r.Text(child);
}

Result<org::Institution> Root(db::Connection& c, const org::Scope& scope, const std::string& code) {
  std::string wanted = code;
  if (wanted.empty()) {
    const org::Subtree* single = scope.Single();
    if (!single) return Error::BadRequest("missing_parameter", "请提供 org（机构代码）");
    wanted = single->code;
  }
  NEMIS_ASSIGN_OR_RETURN(auto inst, org::OrgStore::Load(c, wanted));
  if (!inst || !scope.Contains(*inst)) return Error::NotFound("机构 " + wanted + " 不存在");
  return *inst;
}

}  // namespace

Result<ProblemSummary> ProblemRecords::Summary(const org::Scope& scope, const std::string& org) {
  return db_.Read<ProblemSummary>([&](db::Connection& c) -> Result<ProblemSummary> {
    NEMIS_ASSIGN_OR_RETURN(org::Institution at, Root(c, scope, org));
    const std::string child(ChildColumn(at.level));
    db::SqlBuilder sql("SELECT p.kind");
    AddInside(sql, at, "");
    AddInside(sql, at, "other_");
    sql.Add(", p." + child + ", p.school_code, p.other_" + child +
            ", p.other_school_code, COUNT(*) FROM problem_record p WHERE p.state = 'open'");
    // Named: the builder's parameters view the scope's code until the query has run.
    const org::Scope within = org::Scope::Of(at);
    AddProblemScope(sql, within, Sides::kEither, "p");
    sql.Add(" GROUP BY 1, 2, 3, 4, 5, 6, 7");
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    ProblemSummary out;
    out.org = at.code;
    for (const auto& r : rs.rows) {
      auto kind = ParseProblemKind(r.Text(0));
      if (!kind) continue;
      const int64_t n = r.Int(7);
      const bool a = r.Int(1) == 1, b = r.Int(2) == 1;
      out.total[*kind] += n;
      const std::string a_child = ChildOf(r, 3, 4), b_child = ChildOf(r, 5, 6);
      if (a) out.children[a_child][*kind] += n;
      if (b && (!a || b_child != a_child)) out.children[b_child][*kind] += n;
    }
    return out;
  });
}

}  // namespace nemis::registry::quality
