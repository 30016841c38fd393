#include "registry/field_parsing.hpp"

#include <charconv>
#include <cstdio>

namespace nemis::registry::internal {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int Digits(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// Splits "2019-9-1" style text at the separator into up to three numeric parts.
bool SplitParts(std::string_view value, char sep, std::string_view parts[3], int& count) {
  count = 0;
  while (count < 3) {
    size_t pos = value.find(sep);
    parts[count++] = value.substr(0, pos);
    if (pos == std::string_view::npos) return true;
    value.remove_prefix(pos + 1);
  }
  return false;
}

}  // namespace

std::optional<std::string_view> ParseCoded(std::string_view value, const codes::CodeTable& table) {
  if (const auto* e = table.Find(value)) return e->code;
  if (const auto* e = table.FindByName(value)) return e->code;
  return std::nullopt;
}

std::optional<int> ParseInt(std::string_view value) {
  int v = 0;
  if (value.empty()) return std::nullopt;
  const char* begin = value.data();
  if (*begin == '+') ++begin;
  auto [p, ec] = std::from_chars(begin, value.data() + value.size(), v);
  if (ec != std::errc() || p != value.data() + value.size()) return std::nullopt;
  return v;
}

std::optional<int> ParseFlag(std::string_view v) {
  if (v == "0" || v == "否" || v == "N" || v == "n" || v == "false") return 0;
  if (v == "1" || v == "是" || v == "Y" || v == "y" || v == "true") return 1;
  return std::nullopt;
}

std::optional<Date> ParseDateText(std::string_view value) {
  if (value.size() == 8 && AllDigits(value)) return ParseCompactDate(value);
  for (char sep : {'-', '/', '.'}) {
    if (value.find(sep) == std::string_view::npos) continue;
    std::string_view parts[3];
    int count = 0;
    if (!SplitParts(value, sep, parts, count) || count != 3) return std::nullopt;
    if (parts[0].size() != 4 || parts[1].size() > 2 || parts[2].size() > 2) return std::nullopt;
    for (auto p : parts)
      if (!AllDigits(p)) return std::nullopt;
    Date d{Digits(parts[0]), Digits(parts[1]), Digits(parts[2])};
    if (!d.IsValid()) return std::nullopt;
    return d;
  }
  return std::nullopt;
}

std::optional<std::string> ParseYearMonth(std::string_view value) {
  int year = 0, month = 0;
  if (value.size() == 6 && AllDigits(value)) {
    year = Digits(value.substr(0, 4));
    month = Digits(value.substr(4, 2));
  } else if (auto d = ParseDateText(value)) {
    year = d->year;
    month = d->month;
  } else {
    bool ok = false;
    for (char sep : {'-', '/', '.'}) {
      size_t pos = value.find(sep);
      if (pos != 4 || value.size() < 6 || value.size() > 7) continue;
      std::string_view y = value.substr(0, 4), m = value.substr(5);
      if (!AllDigits(y) || !AllDigits(m)) continue;
      year = Digits(y);
      month = Digits(m);
      ok = true;
    }
    if (!ok) return std::nullopt;
  }
  if (year < 1900 || month < 1 || month > 12) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return std::string(buf);
}

bool IsPhoneNumber(std::string_view v) {
  if (v.size() == 11 && v[0] == '1' && v[1] >= '3' && v[1] <= '9' && AllDigits(v)) return true;
  if (v.empty() || v[0] != '0') return false;
  size_t dash = v.find('-');
  if (dash == std::string_view::npos) return v.size() >= 10 && v.size() <= 12 && AllDigits(v);
  std::string_view area = v.substr(0, dash), local = v.substr(dash + 1);
  return area.size() >= 3 && area.size() <= 4 && AllDigits(area) && local.size() >= 7 &&
         local.size() <= 8 && AllDigits(local);
}

}  // namespace nemis::registry::internal
