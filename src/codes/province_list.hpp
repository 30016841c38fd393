// Settings that name provinces (a provincial rule applies there): comma-separated codes,
// each its 2-digit province code or its 6-digit division (44 and 440000 both name 广东).
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace nemis::codes {

/// The 2-digit province codes of a comma-separated list; blanks between commas are skipped.
std::set<std::string> ParseProvinceList(std::string_view comma_separated);

}  // namespace nemis::codes
