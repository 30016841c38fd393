// JSON text written piece by piece as nlohmann's dump writes it (no whitespace, non-ASCII
// left as UTF-8, the same escapes), for the exchange's writers that skip the DOM
// (batch_payload.hpp, batch_envelope.hpp): what they write is byte for byte the DOM's dump.
// The reading side is json_scanner.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nemis::exchange {

/// `s` quoted and escaped; false (and `out` holding part of it) for text that is not UTF-8,
/// which nlohmann refuses to write.
bool AppendJsonString(std::string& out, std::string_view s);
void AppendJsonInteger(std::string& out, int64_t v);
/// `"name":`, for a name that needs no escape.
void AppendJsonKey(std::string& out, std::string_view name);

}  // namespace nemis::exchange
