#include "org/org_rows.hpp"

namespace nemis::org::internal {

Institution InstitutionFromRow(const db::Row& r) {
  Institution i;
  i.id = r.Int(0);
  i.code = r.Text(1);
  i.level = static_cast<OrgLevel>(r.Int(2));
  i.parent_code = r.Text(3);
  i.name = r.Text(4);
  i.province_code = r.OptText(5);
  i.city_code = r.OptText(6);
  i.county_code = r.OptText(7);
  i.category = r.OptText(8);
  i.school_type = r.OptText(9);
  i.sponsor = r.OptText(10);
  i.urban_rural = r.OptText(11);
  i.address = r.OptText(12);
  if (!r.IsNull(13)) i.longitude = r.Real(13);
  if (!r.IsNull(14)) i.latitude = r.Real(14);
  i.open = r.Text(15) == "open";
  i.version = r.Int(16);
  i.created_at = r.Text(17);
  i.updated_at = r.Text(18);
  return i;
}

}  // namespace nemis::org::internal
