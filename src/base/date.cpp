#include "base/date.hpp"

#include <cstdio>

namespace nemis {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::optional<int> ParseDigits(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

class SystemClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

bool Date::IsValid() const {
  return year >= 1 && year <= 9999 && day >= 1 && day <= DaysInMonth(year, month);
}

// Howard Hinnant's days_from_civil.
int64_t Date::DaysSinceEpoch() const {
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned mp = static_cast<unsigned>(month + (month > 2 ? -3 : 9));
  unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

Date Date::FromDaysSinceEpoch(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

std::string Date::ToIso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::optional<Date> ParseIsoDate(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto y = ParseDigits(t.substr(0, 4)), m = ParseDigits(t.substr(5, 2)),
       d = ParseDigits(t.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  Date date{*y, *m, *d};
  if (!date.IsValid()) return std::nullopt;
  return date;
}

std::optional<Date> ParseCompactDate(std::string_view t) {
  if (t.size() != 8) return std::nullopt;
  auto y = ParseDigits(t.substr(0, 4)), m = ParseDigits(t.substr(4, 2)),
       d = ParseDigits(t.substr(6, 2));
  if (!y || !m || !d) return std::nullopt;
  Date date{*y, *m, *d};
  if (!date.IsValid()) return std::nullopt;
  return date;
}

Date Clock::TodayInChina() const {
  int64_t secs = UnixSeconds() + 8 * 3600;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  return Date::FromDaysSinceEpoch(days);
}

const Clock& Clock::System() {
  static SystemClock clock;
  return clock;
}

int64_t Clock::UnixSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
}

std::string FormatUnixUtc(int64_t seconds) {
  return FormatUtc(std::chrono::system_clock::time_point(std::chrono::seconds(seconds)));
}

std::string FormatUtc(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms_total = duration_cast<milliseconds>(t.time_since_epoch()).count();
  int64_t secs = ms_total >= 0 ? ms_total / 1000 : (ms_total - 999) / 1000;
  int ms = static_cast<int>(ms_total - secs * 1000);
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t rem = secs - days * 86400;
  Date d = Date::FromDaysSinceEpoch(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.year, d.month, d.day,
                static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60), ms);
  return buf;
}

std::optional<std::chrono::system_clock::time_point> ParseUtc(std::string_view text) {
  if (text.size() != 24 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != '.' || text[23] != 'Z')
    return std::nullopt;
  auto number = [&](size_t at, size_t len, int max) -> std::optional<int> {
    int v = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v <= max ? std::optional<int>(v) : std::nullopt;
  };
  auto date = ParseIsoDate(text.substr(0, 10));
  auto h = number(11, 2, 23), m = number(14, 2, 59), s = number(17, 2, 59), ms = number(20, 3, 999);
  if (!date || !h || !m || !s || !ms) return std::nullopt;
  using namespace std::chrono;
  int64_t secs = date->DaysSinceEpoch() * 86400 + *h * 3600 + *m * 60 + *s;
  return system_clock::time_point(
      duration_cast<system_clock::duration>(seconds(secs) + milliseconds(*ms)));
}

}  // namespace nemis
