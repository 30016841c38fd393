// Mapping between org rows and Institution values (internal to the org module).
#pragma once

#include <string>

#include "db/database.hpp"
#include "org/institution.hpp"

namespace nemis::org::internal {

/// The column list every institution query selects, in Row order.
inline constexpr std::string_view kOrgColumns =
    "o.id, o.code, o.level, o.parent_code, o.name, o.province_code, o.city_code, o.county_code, "
    "o.category, o.school_type, o.sponsor, o.urban_rural, o.address, o.longitude, o.latitude, "
    "o.status, o.version, o.created_at, o.updated_at";

Institution InstitutionFromRow(const db::Row& row);

}  // namespace nemis::org::internal
