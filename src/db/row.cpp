#include <charconv>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "db/database.hpp"
#include "db/internal/value_format.hpp"

namespace nemis::db {
namespace {

// Text that is not a whole integer (e.g. "2.5" from a NUMERIC column rendered as
// text) still yields its integral part, so a column's declared type matters less.
int64_t ParseInt(const std::string& text) {
  int64_t out = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  if (ec == std::errc() && ptr == end) return out;
  return static_cast<int64_t>(std::strtod(text.c_str(), nullptr));
}

}  // namespace

bool SameValue(const Param& p, const Value& v) {
  return std::visit(
      [&v](const auto& param) {
        using Kind = std::decay_t<decltype(param)>;
        if constexpr (std::is_same_v<Kind, std::monostate>) {
          return v.index() == 0;
        } else if constexpr (std::is_same_v<Kind, std::string_view>) {
          const auto* text = std::get_if<std::string>(&v);
          return text != nullptr && *text == param;
        } else {
          const auto* same = std::get_if<Kind>(&v);
          return same != nullptr && *same == param;
        }
      },
      p.get());
}

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return ParseInt(*s);
  return 0;
}

double Row::Real(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (const auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
  return 0.0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  std::string out;
  if (const auto* n = std::get_if<int64_t>(&v)) AppendInt(out, *n);
  if (const auto* d = std::get_if<double>(&v)) AppendDouble(out, *d);
  return out;
}

std::optional<std::string> Row::OptText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

std::optional<int64_t> Row::OptInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

}  // namespace nemis::db
