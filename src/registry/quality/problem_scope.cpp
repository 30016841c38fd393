#include "registry/quality/problem_scope.hpp"

#include <string>

namespace nemis::registry::quality {
namespace {

std::string_view ColumnFor(org::OrgLevel level) {
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
      return "school_id";
  }
  return "";
}

// "(a.county_code = $1 OR a.county_code = $2)" for one side ("" or "other_").
void AddSide(db::SqlBuilder& sql, const org::Scope& scope, std::string_view side,
             std::string_view alias) {
  sql.Add("(");
  for (size_t i = 0; i < scope.subtrees().size(); ++i) {
    const org::Subtree& s = scope.subtrees()[i];
    std::string condition = (i > 0 ? " OR " : "") + std::string(alias) + "." + std::string(side) +
                            std::string(ColumnFor(s.level)) + " = $1";
    if (s.level == org::OrgLevel::kSchool)
      sql.Add(condition, {s.id});
    else
      sql.Add(condition, {s.code});
  }
  sql.Add(")");
}

}  // namespace

void AddProblemScope(db::SqlBuilder& sql, const org::Scope& scope, Sides sides,
                     std::string_view alias) {
  if (scope.IsEverything()) return;
  if (scope.IsNothing()) {
    sql.Add(" AND 1 = 0");
    return;
  }
  sql.Add(" AND (");
  AddSide(sql, scope, "", alias);
  if (sides == Sides::kEither) {
    sql.Add(" OR ");
    AddSide(sql, scope, "other_", alias);
  } else {
    sql.Add(" AND (" + std::string(alias) + ".other_id IS NULL OR ");
    AddSide(sql, scope, "other_", alias);
    sql.Add(")");
  }
  sql.Add(")");
}

std::string CommonAuthority(const db::Row& row, size_t first) {
  for (size_t i = first; i < first + 3; ++i) {
    auto mine = row.OptText(i), theirs = row.OptText(i + 3);
    if (mine && theirs && *mine == *theirs) return *mine;
  }
  return std::string(org::kNationalCode);
}

}  // namespace nemis::registry::quality
