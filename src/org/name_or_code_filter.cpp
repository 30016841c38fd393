#include "org/name_or_code_filter.hpp"

#include <algorithm>

namespace nemis::org::internal {
namespace {

// LIKE pattern matching `text` literally somewhere in the value.
std::string ContainsPattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void AddNameOrCodeFilter(db::SqlBuilder& sql, std::string_view text, std::string& pattern) {
  if (text.empty()) return;
  if (IsDigits(text)) {
    pattern = std::string(text) + "%";
    sql.Add(" AND o.code LIKE $1", {pattern});
  } else {
    pattern = ContainsPattern(text);
    sql.Add(" AND o.name LIKE $1 ESCAPE '\\'", {pattern});
  }
}

}  // namespace nemis::org::internal
