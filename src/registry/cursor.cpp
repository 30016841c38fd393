#include "registry/cursor.hpp"

namespace nemis::registry {
namespace {

constexpr char kDigits[] = "0123456789abcdef";
constexpr char kSeparator = '\x1f';

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string EncodeCursor(const std::vector<std::string>& parts) {
  std::string raw;
  for (size_t i = 0; i < parts.size(); ++i) raw += (i ? std::string(1, kSeparator) : "") + parts[i];
  std::string out;
  for (unsigned char c : raw) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::optional<std::vector<std::string>> DecodeCursor(std::string_view cursor, size_t count) {
  if (cursor.size() % 2 != 0) return std::nullopt;
  std::string raw;
  for (size_t i = 0; i < cursor.size(); i += 2) {
    int hi = HexValue(cursor[i]), lo = HexValue(cursor[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    raw += static_cast<char>(hi * 16 + lo);
  }
  std::vector<std::string> parts(1);
  for (char c : raw) {
    if (c == kSeparator)
      parts.emplace_back();
    else
      parts.back() += c;
  }
  if (parts.size() != count) return std::nullopt;
  return parts;
}

}  // namespace nemis::registry

#include <charconv>

namespace nemis::registry {

std::optional<int64_t> CursorInt(std::string_view part) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
  if (ec != std::errc() || p != part.data() + part.size() || part.empty()) return std::nullopt;
  return v;
}

}  // namespace nemis::registry
