#include "aid/award_fields.hpp"

#include <charconv>

namespace nemis::aid {
namespace {

constexpr int64_t kMostFen = 1'000'000LL * 100;

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::optional<int> FourDigitYear(std::string_view s) {
  int year = 0;
  if (s.size() != 4 || !AllDigits(s)) return std::nullopt;
  std::from_chars(s.data(), s.data() + 4, year);
  return year;
}

}  // namespace

std::optional<int64_t> ParseYuan(std::string_view text) {
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view cents = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (!AllDigits(whole) || whole.size() > 7) return std::nullopt;
  if (dot != std::string_view::npos && (cents.empty() || cents.size() > 2 || !AllDigits(cents)))
    return std::nullopt;
  int64_t yuan = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), yuan);
  int64_t fen = yuan * 100;
  if (!cents.empty()) fen += (cents[0] - '0') * 10 + (cents.size() == 2 ? cents[1] - '0' : 0);
  if (fen <= 0 || fen > kMostFen) return std::nullopt;
  return fen;
}

std::string FormatYuan(int64_t fen) {
  std::string cents = std::to_string(fen % 100);
  if (cents.size() == 1) cents.insert(0, "0");
  return std::to_string(fen / 100) + "." + cents;
}

int SchoolYearOf(const Date& day) { return day.month >= 9 ? day.year : day.year - 1; }

std::optional<int> ParseSchoolYear(std::string_view text) {
  constexpr std::string_view kSuffix = "学年";
  if (text.ends_with(kSuffix)) text.remove_suffix(kSuffix.size());
  const std::optional<int> first = FourDigitYear(text.substr(0, 4));
  if (!first) return std::nullopt;
  if (text.size() == 4) return first;
  if (text.size() != 9 || text[4] != '-' || FourDigitYear(text.substr(5)) != *first + 1)
    return std::nullopt;
  return first;
}

}  // namespace nemis::aid
