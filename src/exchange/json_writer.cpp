#include "exchange/json_writer.hpp"

#include <array>
#include <charconv>

#include "base/text.hpp"

namespace nemis::exchange {
namespace {

bool Plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

void AppendEscaped(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default: {
      constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
}

}  // namespace

bool AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    const size_t run = i;
    while (i < s.size() && Plain(static_cast<unsigned char>(s[i]))) ++i;
    out.append(s, run, i - run);
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      AppendEscaped(out, c);
      ++i;
      continue;
    }
    const size_t length = Utf8SequenceLength(s, i);
    if (length == 0) return false;
    out.append(s, i, length);
    i += length;
  }
  out += '"';
  return true;
}

void AppendJsonInteger(std::string& out, int64_t v) {
  std::array<char, 24> digits{};
  const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), v);
  out.append(digits.data(), end);
}

void AppendJsonKey(std::string& out, std::string_view name) {
  out += '"';
  out += name;
  out += "\":";
}

}  // namespace nemis::exchange
