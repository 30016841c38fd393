#include "registry/transfer_lookup.hpp"

#include <algorithm>

namespace nemis::registry {

std::string MaskName(std::string_view name) {
  if (name.empty()) return {};
  // The length of the first UTF-8 character, from its lead byte.
  const auto lead = static_cast<unsigned char>(name[0]);
  size_t first = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  first = std::min(first, name.size());
  std::string out(name.substr(0, first));
  for (size_t i = first; i < name.size(); ++i) {
    // One * per character: count lead bytes, not continuation bytes.
    if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80) out += '*';
  }
  return out;
}

}  // namespace nemis::registry
