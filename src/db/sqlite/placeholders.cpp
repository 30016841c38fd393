#include "db/sqlite/placeholders.hpp"

#include <cctype>

namespace nemis::db::sqlite {
namespace {

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Returns the index just past a quoted run that starts at `i` (a doubled quote
// character inside the run is an escaped quote and does not end it).
size_t SkipQuoted(std::string_view sql, size_t i) {
  char quote = sql[i];
  for (++i; i < sql.size(); ++i) {
    if (sql[i] != quote) continue;
    if (i + 1 < sql.size() && sql[i + 1] == quote) {
      ++i;
      continue;
    }
    return i + 1;
  }
  return sql.size();
}

size_t SkipLineComment(std::string_view sql, size_t i) {
  size_t end = sql.find('\n', i);
  return end == std::string_view::npos ? sql.size() : end + 1;
}

size_t SkipBlockComment(std::string_view sql, size_t i) {
  size_t end = sql.find("*/", i + 2);
  return end == std::string_view::npos ? sql.size() : end + 2;
}

}  // namespace

std::string TranslatePlaceholders(std::string_view sql) {
  std::string out(sql);
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '\'' || c == '"' || c == '`') {
      i = SkipQuoted(sql, i);
    } else if (c == '-' && next == '-') {
      i = SkipLineComment(sql, i);
    } else if (c == '/' && next == '*') {
      i = SkipBlockComment(sql, i);
    } else {
      if (c == '$' && IsDigit(next)) out[i] = '?';
      ++i;
    }
  }
  return out;
}

}  // namespace nemis::db::sqlite
