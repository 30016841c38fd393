// A scanner for the narrow JSON the exchange's own writers produce, for readers that only
// point into the text instead of building nlohmann's DOM (flat_json_object.hpp,
// batch_payload.hpp). Every method takes what it names or reports that it cannot (nullopt,
// false), leaving the caller to read the text with a full JSON parser: a scanner's reader
// never accepts what the full parser would refuse, nor reads it differently.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nemis::exchange {

class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : text_(text) {}

  /// Takes `c` after any JSON whitespace.
  bool Take(char c);
  bool Peek(char c);
  bool AtEnd();
  /// A string of printable ASCII other than '"' and '\\'.
  std::optional<std::string_view> AsciiString();
  /// A string of valid UTF-8 without escapes or control characters, as JSON allows it.
  std::optional<std::string_view> Utf8String();
  /// -?(0|[1-9][0-9]*) within int64_t, not "-0", not followed by a fraction or exponent.
  std::optional<int64_t> Integer();
  bool Null();

 private:
  void SkipSpace();
  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace nemis::exchange
