// Numbers as text, shared by Row::Text, PostgreSQL parameters and COPY rows: integers
// in decimal, doubles in the shortest form that reads back to the same value.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

namespace nemis::db {

inline void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

inline void AppendDouble(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

}  // namespace nemis::db
