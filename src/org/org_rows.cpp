#include "org/org_rows.hpp"

#include "db/column_index.hpp"

namespace nemis::org::internal {

Institution InstitutionFromRow(const db::Row& r) {
  constexpr auto col = [](std::string_view name) consteval {
    return db::ColumnIndex(kOrgColumns, name);
  };
  Institution i;
  i.id = r.Int(col("id"));
  i.code = r.Text(col("code"));
  i.level = static_cast<OrgLevel>(r.Int(col("level")));
  i.parent_code = r.Text(col("parent_code"));
  i.name = r.Text(col("name"));
  i.province_code = r.OptText(col("province_code"));
  i.city_code = r.OptText(col("city_code"));
  i.county_code = r.OptText(col("county_code"));
  i.category = r.OptText(col("category"));
  i.school_type = r.OptText(col("school_type"));
  i.sponsor = r.OptText(col("sponsor"));
  i.urban_rural = r.OptText(col("urban_rural"));
  i.address = r.OptText(col("address"));
  if (!r.IsNull(col("longitude"))) i.longitude = r.Real(col("longitude"));
  if (!r.IsNull(col("latitude"))) i.latitude = r.Real(col("latitude"));
  i.open = r.Text(col("status")) == "open";
  i.version = r.Int(col("version"));
  i.created_at = r.Text(col("created_at"));
  i.updated_at = r.Text(col("updated_at"));
  return i;
}

}  // namespace nemis::org::internal
