// A fast reader for one narrow kind of JSON text: a single object whose values are all
// strings of printable ASCII without escapes, or integers. The exchange's batch envelopes
// are such objects, one of whose strings is megabytes of base64: nlohmann's lexer builds
// that string a character at a time (a fifth of the national node's CPU in a catch-up,
// bench/RESULTS.md), while this reader only points into the text. Anything outside the
// narrow kind — escapes, other bytes, nesting, arrays, other numbers, a key twice, text after
// the object — is not read (nullopt), for the caller to read with a full JSON parser: what is
// accepted or refused does not change.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <variant>

namespace nemis::exchange {

using FlatJsonValue = std::variant<std::string_view, int64_t>;  // views into the text

std::optional<std::map<std::string_view, FlatJsonValue>> ReadFlatJsonObject(std::string_view text);

}  // namespace nemis::exchange
