// The organisation tree as the public sees it (the public portal, no sign-in): the
// divisions for region pickers, the directory of open schools with their regions' names,
// and schools counted by category. Institution facts only: nothing here reads people.
// No scope: every open institution of the node is public.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"

namespace nemis::org {

/// A division (province, city or county) for a region picker.
struct PublicDivision {
  std::string code, name;
  OrgLevel level = OrgLevel::kProvince;
  bool has_children = false;  // open divisions below it
};

/// An open school with the names of the divisions it lies in.
struct PublicSchool {
  Institution school;
  std::optional<std::string> province_name, city_name, county_name;
};

struct PublicSchoolQuery {
  std::optional<Institution> region;    // a division; none: the whole node
  std::optional<std::string> category;  // 2-digit school category
  std::string text;                     // part of the name, or a code prefix (digits)
  int limit = 20;
  std::string after;  // the last code of the previous page
};

struct PublicSchoolPage {
  std::vector<PublicSchool> items;
  std::optional<std::string> next;  // pass as `after` for the next page
};

struct CategoryCount {
  std::string category;  // 2 digits; empty when the school has none
  int64_t count = 0;
};

/// The open division (national root, province, city or county) with this code; nullopt
/// when there is none, or the code is a school's.
Result<std::optional<Institution>> FindOpenDivision(db::Database& db, std::string_view code);

/// The open divisions whose parent is `parent_code`, by code.
Result<std::vector<PublicDivision>> OpenDivisionsUnder(db::Database& db,
                                                       std::string_view parent_code);

/// A page of open schools, by code.
Result<PublicSchoolPage> FindOpenSchools(db::Database& db, const PublicSchoolQuery& query);

/// The open school with this code; nullopt when unknown or closed.
Result<std::optional<PublicSchool>> FindOpenSchool(db::Database& db, std::string_view code);

/// Open schools in `region` (a division) counted by category, by category code.
Result<std::vector<CategoryCount>> CountOpenSchoolsByCategory(db::Database& db,
                                                              const Institution& region);

}  // namespace nemis::org
