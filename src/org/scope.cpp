#include "org/scope.hpp"

namespace nemis::org {

Scope Scope::Of(const Institution& inst) { return Scope{inst.level, inst.code, inst.id}; }

void Scope::AddFilter(db::SqlBuilder& sql, ScopedTable table, std::string_view alias) const {
  std::string prefix = " AND " + std::string(alias) + ".";
  switch (level) {
    case OrgLevel::kNational: return;
    case OrgLevel::kProvince: sql.Add(prefix + "province_code = ?", {code}); return;
    case OrgLevel::kCity: sql.Add(prefix + "city_code = ?", {code}); return;
    case OrgLevel::kCounty: sql.Add(prefix + "county_code = ?", {code}); return;
    case OrgLevel::kSchool:
      if (table == ScopedTable::kStudent)
        sql.Add(prefix + "school_id = ?", {id});
      else
        sql.Add(prefix + "code = ?", {code});
      return;
  }
}

bool Scope::Contains(const Institution& inst) const {
  auto is = [&](const std::optional<std::string>& c) { return c && *c == code; };
  switch (level) {
    case OrgLevel::kNational: return true;
    case OrgLevel::kProvince: return is(inst.province_code);
    case OrgLevel::kCity: return is(inst.city_code);
    case OrgLevel::kCounty: return is(inst.county_code);
    case OrgLevel::kSchool: return inst.code == code;
  }
  return false;
}

}  // namespace nemis::org
