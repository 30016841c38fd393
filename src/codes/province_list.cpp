#include "codes/province_list.hpp"

#include "base/text.hpp"

namespace nemis::codes {

std::set<std::string> ParseProvinceList(std::string_view codes) {
  std::set<std::string> out;
  while (!codes.empty()) {
    const size_t comma = codes.find(',');
    const std::string_view code = TrimSpaces(codes.substr(0, comma));
    if (!code.empty()) out.insert(std::string(code.substr(0, 2)));
    codes = comma == std::string_view::npos ? std::string_view() : codes.substr(comma + 1);
  }
  return out;
}

}  // namespace nemis::codes
