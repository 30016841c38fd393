#include "org/public_directory.hpp"

#include <algorithm>

#include "db/sql_builder.hpp"
#include "org/name_or_code_filter.hpp"
#include "org/org_rows.hpp"
#include "org/scope.hpp"

namespace nemis::org {
namespace {

using internal::kOrgColumns;

// Divisions are levels 0-3 (national root to county); schools are level 4.
const std::string kSelectOpenDivision = "SELECT " + std::string(kOrgColumns) +
                                        " FROM org o WHERE o.code = $1 AND o.level < 4 AND "
                                        "o.status = 'open'";
constexpr std::string_view kSelectDivisionsUnder =
    "SELECT o.code, o.name, o.level, CASE WHEN EXISTS (SELECT 1 FROM org c WHERE c.parent_code = "
    "o.code AND c.level < 4 AND c.status = 'open') THEN 1 ELSE 0 END FROM org o "
    "WHERE o.parent_code = $1 AND o.level < 4 AND o.status = 'open' ORDER BY o.code";
// The school's columns, then the names of its province, city and county.
const std::string kSelectPublicSchools =
    "SELECT " + std::string(kOrgColumns) +
    ", p.name, ci.name, co.name FROM org o LEFT JOIN org p ON p.code = o.province_code "
    "LEFT JOIN org ci ON ci.code = o.city_code LEFT JOIN org co ON co.code = o.county_code "
    "WHERE o.level = 4 AND o.status = 'open'";
constexpr std::string_view kCountSchoolsByCategory =
    "SELECT o.category, COUNT(*) FROM org o WHERE o.level = 4 AND o.status = 'open'";

// The region names follow the institution's own columns.
constexpr size_t kNamesAt = 19;

PublicSchool SchoolFromRow(const db::Row& row) {
  return {internal::InstitutionFromRow(row), row.OptText(kNamesAt), row.OptText(kNamesAt + 1),
          row.OptText(kNamesAt + 2)};
}

}  // namespace

Result<std::optional<Institution>> FindOpenDivision(db::Database& db, std::string_view code) {
  return db.Read<std::optional<Institution>>(
      [&](db::Connection& c) -> Result<std::optional<Institution>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectOpenDivision, {code}));
        if (rs.empty()) return std::optional<Institution>();
        return std::optional<Institution>(internal::InstitutionFromRow(rs.rows[0]));
      });
}

Result<std::vector<PublicDivision>> OpenDivisionsUnder(db::Database& db,
                                                       std::string_view parent_code) {
  return db.Read<std::vector<PublicDivision>>([&](db::Connection& c)
                                                  -> Result<std::vector<PublicDivision>> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectDivisionsUnder, {parent_code}));
    std::vector<PublicDivision> out;
    out.reserve(rs.size());
    for (const auto& row : rs.rows)
      out.push_back({row.Text(0), row.Text(1), static_cast<OrgLevel>(row.Int(2)), row.Int(3) != 0});
    return out;
  });
}

Result<PublicSchoolPage> FindOpenSchools(db::Database& db, const PublicSchoolQuery& q) {
  const int limit = std::max(q.limit, 1);
  return db.Read<PublicSchoolPage>([&](db::Connection& c) -> Result<PublicSchoolPage> {
    // Bound by reference in the statement: it lives as long as the query.
    const Scope within = q.region ? Scope::Of(*q.region) : Scope::Everything();
    db::SqlBuilder sql(kSelectPublicSchools);
    sql.Add(" AND o.code > $1", {q.after});
    within.AddFilter(sql, ScopedTable::kOrg, "o");
    if (q.category) sql.Add(" AND o.category = $1", {*q.category});
    std::string pattern;
    internal::AddNameOrCodeFilter(sql, q.text, pattern);
    sql.Add(" ORDER BY o.code LIMIT $1", {limit + 1});
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    PublicSchoolPage page;
    for (const auto& row : rs.rows) page.items.push_back(SchoolFromRow(row));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.resize(static_cast<size_t>(limit));
      page.next = page.items.back().school.code;
    }
    return page;
  });
}

Result<std::optional<PublicSchool>> FindOpenSchool(db::Database& db, std::string_view code) {
  return db.Read<std::optional<PublicSchool>>(
      [&](db::Connection& c) -> Result<std::optional<PublicSchool>> {
        db::SqlBuilder sql(kSelectPublicSchools);
        sql.Add(" AND o.code = $1", {code});
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
        if (rs.empty()) return std::optional<PublicSchool>();
        return std::optional<PublicSchool>(SchoolFromRow(rs.rows[0]));
      });
}

Result<std::vector<CategoryCount>> CountOpenSchoolsByCategory(db::Database& db,
                                                              const Institution& region) {
  return db.Read<std::vector<CategoryCount>>(
      [&](db::Connection& c) -> Result<std::vector<CategoryCount>> {
        const Scope within = Scope::Of(region);
        db::SqlBuilder sql(kCountSchoolsByCategory);
        within.AddFilter(sql, ScopedTable::kOrg, "o");
        sql.Add(" GROUP BY o.category ORDER BY o.category");
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
        std::vector<CategoryCount> out;
        out.reserve(rs.size());
        for (const auto& row : rs.rows) out.push_back({row.Text(0), row.Int(1)});
        return out;
      });
}

}  // namespace nemis::org
