// An institution of the organisation tree: the ministry (national), a province,
// a city (prefecture), a county, or a school. Institutions are never deleted;
// they close.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nemis::org {

enum class OrgLevel { kNational = 0, kProvince = 1, kCity = 2, kCounty = 3, kSchool = 4 };

std::string_view OrgLevelId(OrgLevel level);    // "national", "province", ...
std::string_view OrgLevelName(OrgLevel level);  // 国家, 省级, 地市, 区县, 学校
std::optional<OrgLevel> ParseOrgLevel(std::string_view id);

/// The code of the national node's root institution.
inline constexpr std::string_view kNationalCode = "000000";

struct Institution {
  int64_t id = 0;    // internal; never leaves the node
  std::string code;  // 6-digit division code, or 10-digit school code
  OrgLevel level = OrgLevel::kSchool;
  std::string parent_code;
  std::string name;
  std::optional<std::string> province_code, city_code, county_code;  // ancestors, self included
  std::optional<std::string> category, school_type, sponsor, urban_rural, address;
  std::optional<double> longitude, latitude;
  bool open = true;
  int64_t version = 1;
  std::string created_at, updated_at;
};

/// The fields a client may set; absent optionals are left unchanged on update.
struct InstitutionInput {
  std::optional<std::string> code, parent_code, name, category, school_type, sponsor, urban_rural,
      address;
  std::optional<double> longitude, latitude;
  std::optional<bool> open;
};

}  // namespace nemis::org
