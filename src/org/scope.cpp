#include "org/scope.hpp"

#include <algorithm>

namespace nemis::org {
namespace {

// The ancestor-code column holding codes of `level`, or "" for the whole node.
std::string_view ColumnFor(OrgLevel level, ScopedTable table) {
  switch (level) {
    case OrgLevel::kNational:
      return "";
    case OrgLevel::kProvince:
      return "province_code";
    case OrgLevel::kCity:
      return "city_code";
    case OrgLevel::kCounty:
      return "county_code";
    case OrgLevel::kSchool:
      return table == ScopedTable::kStudent ? "school_id" : "code";
  }
  return "";
}

}  // namespace

bool Subtree::Contains(const Institution& inst) const {
  auto is = [&](const std::optional<std::string>& c) { return c && *c == code; };
  switch (level) {
    case OrgLevel::kNational:
      return true;
    case OrgLevel::kProvince:
      return is(inst.province_code);
    case OrgLevel::kCity:
      return is(inst.city_code);
    case OrgLevel::kCounty:
      return is(inst.county_code);
    case OrgLevel::kSchool:
      return inst.code == code;
  }
  return false;
}

void Scope::Add(Subtree subtree) {
  if (IsEverything()) return;
  if (subtree.level == OrgLevel::kNational) {
    subtrees_ = {std::move(subtree)};
    return;
  }
  if (std::find(subtrees_.begin(), subtrees_.end(), subtree) == subtrees_.end())
    subtrees_.push_back(std::move(subtree));
}

bool Scope::IsEverything() const {
  return subtrees_.size() == 1 && subtrees_[0].level == OrgLevel::kNational;
}

void Scope::AddFilter(db::SqlBuilder& sql, ScopedTable table, std::string_view alias) const {
  if (IsEverything()) return;
  if (IsNothing()) {
    sql.Add(" AND 1 = 0");
    return;
  }
  sql.Add(subtrees_.size() > 1 ? " AND (" : " AND ");
  for (size_t i = 0; i < subtrees_.size(); ++i) {
    const Subtree& s = subtrees_[i];
    std::string condition = (i > 0 ? " OR " : "") + std::string(alias) + "." +
                            std::string(ColumnFor(s.level, table)) + " = $1";
    if (s.level == OrgLevel::kSchool && table == ScopedTable::kStudent)
      sql.Add(condition, {s.id});
    else
      sql.Add(condition, {s.code});
  }
  if (subtrees_.size() > 1) sql.Add(")");
}

bool Scope::Contains(const Institution& inst) const {
  return std::any_of(subtrees_.begin(), subtrees_.end(),
                     [&](const Subtree& s) { return s.Contains(inst); });
}

}  // namespace nemis::org
