// UTF-8 text checks used when validating names, addresses and free text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nemis {

bool IsValidUtf8(std::string_view s);
/// Length of the well-formed UTF-8 sequence starting at s[i] (1 for ASCII), or 0 when there
/// is none (Unicode table 3-7: overlong forms, surrogates, code points above U+10FFFF and
/// sequences cut short are refused).
size_t Utf8SequenceLength(std::string_view s, size_t i);
/// Code points in valid UTF-8 text.
size_t Utf8Length(std::string_view s);
/// Valid UTF-8 without control characters (tabs and newlines included).
bool IsCleanText(std::string_view s);
/// Removes ASCII whitespace and U+3000 (ideographic space) at both ends.
std::string_view TrimSpaces(std::string_view s);

}  // namespace nemis
