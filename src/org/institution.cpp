#include "org/institution.hpp"

#include <array>

namespace nemis::org {
namespace {

struct LevelText {
  OrgLevel level;
  std::string_view id, name;
};
constexpr std::array<LevelText, 5> kLevels = {{
    {OrgLevel::kNational, "national", "国家"},
    {OrgLevel::kProvince, "province", "省级"},
    {OrgLevel::kCity, "city", "地市"},
    {OrgLevel::kCounty, "county", "区县"},
    {OrgLevel::kSchool, "school", "学校"},
}};

}  // namespace

std::string_view OrgLevelId(OrgLevel level) { return kLevels[static_cast<int>(level)].id; }
std::string_view OrgLevelName(OrgLevel level) { return kLevels[static_cast<int>(level)].name; }

std::optional<OrgLevel> ParseOrgLevel(std::string_view id) {
  for (const auto& l : kLevels)
    if (l.id == id) return l.level;
  return std::nullopt;
}

}  // namespace nemis::org
