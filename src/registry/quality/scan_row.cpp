#include "registry/quality/scan_row.hpp"

#include <charconv>
#include <functional>

namespace nemis::registry::quality {
namespace {

bool SameKey(uint64_t a1, uint64_t a2, uint64_t b1, uint64_t b2) {
  return (a1 != 0 && (a1 == b1 || a1 == b2)) || (a2 != 0 && (a2 == b1 || a2 == b2));
}

}  // namespace

uint64_t BlindKey(std::string_view hex) {
  if (hex.size() < 16) return 0;
  uint64_t key = 0;
  auto [end, ec] = std::from_chars(hex.data(), hex.data() + 16, key, 16);
  if (ec != std::errc() || end != hex.data() + 16) return 0;
  return key == 0 ? 1 : key;  // 0 means "none"
}

uint64_t TextKey(std::string_view text) {
  if (text.empty()) return 0;
  uint64_t key = std::hash<std::string_view>{}(text);
  return key == 0 ? 1 : key;
}

bool ShareGuardian(const ScanRow& a, const ScanRow& b) {
  return SameKey(a.g1_key, a.g2_key, b.g1_key, b.g2_key) ||
         SameKey(a.g1_name, a.g2_name, b.g1_name, b.g2_name);
}

}  // namespace nemis::registry::quality
