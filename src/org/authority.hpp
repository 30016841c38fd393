// Which institution has authority over another: the county-level education bureau of a
// school is what approves most of the registry's cases about its students.
#pragma once

#include <string>

#include "org/institution.hpp"

namespace nemis::org {

/// The county-level authority over a school: its county; for a school directly under a
/// city, the city; under a province, the province.
std::string CountyAuthorityOf(const Institution& school);

/// The city-level authority over a school (高中 graduation): its city; for a school
/// directly under a province, the province.
std::string CityAuthorityOf(const Institution& school);

}  // namespace nemis::org
