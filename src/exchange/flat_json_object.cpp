#include "exchange/flat_json_object.hpp"

#include "exchange/json_scanner.hpp"

namespace nemis::exchange {

std::optional<std::map<std::string_view, FlatJsonValue>> ReadFlatJsonObject(std::string_view text) {
  JsonScanner s(text);
  if (!s.Take('{')) return std::nullopt;
  std::map<std::string_view, FlatJsonValue> out;
  if (!s.Take('}')) {
    do {
      auto key = s.AsciiString();
      if (!key || !s.Take(':')) return std::nullopt;
      FlatJsonValue value;
      if (s.Peek('"')) {
        auto string = s.AsciiString();
        if (!string) return std::nullopt;
        value = *string;
      } else {
        auto integer = s.Integer();
        if (!integer) return std::nullopt;
        value = *integer;
      }
      if (!out.emplace(*key, value).second) return std::nullopt;  // a key twice
    } while (s.Take(','));
    if (!s.Take('}')) return std::nullopt;
  }
  if (!s.AtEnd()) return std::nullopt;
  return out;
}

}  // namespace nemis::exchange
