// Identifiers quoted for SQL built from names (bulk inserts): "a"."b" for a dotted
// name, embedded quotes doubled. Valid in both SQLite and PostgreSQL.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace nemis::db {

inline std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '.') {
      out += "\".\"";
      continue;
    }
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

/// "(\"a\",\"b\")" for a column list.
inline std::string QuotedColumnList(std::span<const std::string> columns) {
  std::string out = "(";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ',';
    out += QuoteIdentifier(columns[i]);
  }
  return out + ")";
}

}  // namespace nemis::db
