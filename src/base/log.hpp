// Structured logging: one JSON object per line. Callers pass named fields; nothing
// personal may be passed (student numbers, ID numbers, names, phones, addresses).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace nemis::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

struct Field {
  std::string_view key;
  std::variant<std::string_view, int64_t, double, bool> value;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, uint64_t v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};

/// Routes output to `file` (empty: standard error) and sets the lowest level written.
void Init(Level level, const std::string& file);
bool ParseLevel(std::string_view text, Level* out);
bool Enabled(Level level);

void Write(Level level, std::string_view event, std::initializer_list<Field> fields);
inline void Debug(std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, e, f);
}
inline void Info(std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, e, f);
}
inline void Warn(std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, e, f);
}
inline void Error(std::string_view e, std::initializer_list<Field> f = {}) {
  Write(Level::kError, e, f);
}

/// Appends `text` to `out` as the inside of a JSON string (quotes not included).
void AppendJsonEscaped(std::string& out, std::string_view text);

}  // namespace nemis::log
