// Opaque keyset-pagination cursors: the sort key of the last row of a page,
// encoded so that clients pass it back unchanged as `after`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nemis::registry {

std::string EncodeCursor(const std::vector<std::string>& parts);
/// The parts, or nullopt when `cursor` was not made by EncodeCursor with `count` parts.
std::optional<std::vector<std::string>> DecodeCursor(std::string_view cursor, size_t count);

}  // namespace nemis::registry

namespace nemis::registry {
/// A cursor part as an integer, or nullopt when it is not one.
std::optional<int64_t> CursorInt(std::string_view part);
}  // namespace nemis::registry
