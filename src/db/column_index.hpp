// Result columns read by name: the position of a column in a select list, worked out at
// compile time. Code reads row.Text(Col("name")) instead of a bare number that silently
// reads the wrong column when the list changes; a name that is not in the list does not
// compile.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace nemis::db {

/// The position of `name` in a comma-separated select list ("o.id, o.code, ..."; a table
/// alias before the name is ignored), or in the list of a "SELECT ... FROM ..." statement.
consteval size_t ColumnIndex(std::string_view list, std::string_view name) {
  if (list.starts_with("SELECT ")) list = list.substr(7, list.find(" FROM ") - 7);
  for (size_t index = 0;; ++index) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (size_t dot = item.rfind('.'); dot != std::string_view::npos) item.remove_prefix(dot + 1);
    if (item == name) return index;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  throw "no such column in the select list";  // reached only at compile time: an error there
}

/// The position of `name` in a list of column names.
template <size_t N>
consteval size_t ColumnIndex(const std::array<std::string_view, N>& columns,
                             std::string_view name) {
  for (size_t index = 0; index < N; ++index)
    if (columns[index] == name) return index;
  throw "no such column in the select list";
}

}  // namespace nemis::db
