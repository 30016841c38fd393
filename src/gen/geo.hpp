// Rough geography for generated schools: each province's bounding box and capital.
// Good enough to put map pins in the right province, not to survey anything.
#pragma once

#include <optional>
#include <string_view>

namespace nemis::gen {

struct ProvinceBox {
  std::string_view province;  // 2-digit code
  double west, east, south, north;
  double capital_longitude, capital_latitude;
};

/// The box of a province (by its 6-digit or 2-digit code); nullopt for 71/81/82 and unknown codes.
std::optional<ProvinceBox> FindProvinceBox(std::string_view province);

}  // namespace nemis::gen
