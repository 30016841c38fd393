#include "org/authority.hpp"

namespace nemis::org {

std::string CountyAuthorityOf(const Institution& school) {
  return school.county_code.value_or(school.city_code.value_or(school.province_code.value_or("")));
}

std::string CityAuthorityOf(const Institution& school) {
  return school.city_code.value_or(school.province_code.value_or(""));
}

}  // namespace nemis::org
