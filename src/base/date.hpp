// Civil dates (proleptic Gregorian) and UTC instants. Business dates are in China
// Standard Time (UTC+8, no daylight saving); instants are stored in UTC.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nemis {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  bool IsValid() const;
  /// Days since 1970-01-01.
  int64_t DaysSinceEpoch() const;
  static Date FromDaysSinceEpoch(int64_t days);
  std::string ToIso() const;  // YYYY-MM-DD
  // clang-tidy 14 reads the literal 0 a defaulted <=> is compared with as a null pointer.
  auto operator<=>(const Date&) const = default;  // NOLINT(modernize-use-nullptr)
};

/// Parses "YYYY-MM-DD" (exactly) into a valid date.
std::optional<Date> ParseIsoDate(std::string_view text);
/// Parses "YYYYMMDD" (exactly 8 digits) into a valid date.
std::optional<Date> ParseCompactDate(std::string_view text);

int DaysInMonth(int year, int month);

/// Source of the current time; tests inject a fixed one.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  /// Today's date in China Standard Time.
  Date TodayInChina() const;
  /// Now as whole seconds since 1970 (UTC): what certificates and signed requests carry.
  int64_t UnixSeconds() const;
  /// The system clock.
  static const Clock& System();
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point t) : t_(t) {}
  std::chrono::system_clock::time_point Now() const override { return t_; }
  void Set(std::chrono::system_clock::time_point t) { t_ = t; }

 private:
  std::chrono::system_clock::time_point t_;
};

/// "2026-11-21T23:16:16.123Z"
std::string FormatUtc(std::chrono::system_clock::time_point t);
/// FormatUtc of whole seconds since 1970.
std::string FormatUnixUtc(int64_t seconds);
/// The inverse of FormatUtc; nothing for text of any other form.
std::optional<std::chrono::system_clock::time_point> ParseUtc(std::string_view text);

}  // namespace nemis
