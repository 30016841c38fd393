// The registry's national calendar (学籍管理办法 and the national registry system's
// practice) at the end of each school year Y: from 1 July no new business for students in
// a graduating grade; from 15 July no new transfers, and the pending business of the
// graduating grades is cleared (在办业务清理); graduation done by 30 July; promotion of
// every other student at 24:00 on 10 August. From 11 August the new school year is open.
// The dates are configurable, for every year and for single years (a year's 15 July may
// fall on a Sunday); business dates are in Asia/Shanghai.
#pragma once

#include <map>
#include <string_view>

#include "base/config.hpp"
#include "base/date.hpp"
#include "base/result.hpp"
#include "registry/student.hpp"

namespace nemis::registry {

/// The cut-offs of the school year ending in one calendar year.
struct SchoolYearEnd {
  Date graduating_freeze;    // from this day: no new business for graduating grades
  Date transfer_freeze;      // from this day: no new transfers; pending graduating business cleared
  Date graduation_deadline;  // graduation done by this day
  Date promotion_day;        // promotion at 24:00 of this day; the freezes end with it
};

class RegistryCalendar {
 public:
  /// 1 July, 15 July, 30 July, 10 August every year.
  static RegistryCalendar National();

  /// `every_year`: four month-days "MM-DD,MM-DD,MM-DD,MM-DD" in the order of
  /// SchoolYearEnd (config registry.calendar); `single_years`: overrides
  /// "YYYY:MM-DD,MM-DD,MM-DD,MM-DD;..." (config registry.calendar_years). Errors name the
  /// setting and the bad part; the four days must be real and in order.
  static Result<RegistryCalendar> Parse(std::string_view every_year, std::string_view single_years);

  SchoolYearEnd Of(int year) const;

  /// Whether `today` lies between the graduating freeze and the promotion day (inclusive).
  bool GraduatingBusinessClosed(Date today) const;
  /// Whether `today` lies between the transfer freeze and the promotion day (inclusive).
  bool TransfersClosed(Date today) const;

 private:
  struct MonthDays {
    int days[4][2];  // {month, day} of each cut-off, in SchoolYearEnd's order
  };
  static Result<MonthDays> ParseMonthDays(std::string_view text, std::string_view setting);
  static SchoolYearEnd InYear(const MonthDays& m, int year);

  MonthDays every_year_{};
  std::map<int, MonthDays> single_years_;
};

/// The calendar the node's settings give; an error names the bad setting (`nemis serve`
/// refuses to start with one).
Result<RegistryCalendar> RegistryCalendarFromConfig(const Config& config);

/// The year-end refusal of a new case about `s` opened `today` (422): transfers_closed for a
/// transfer between the transfer freeze and the promotion; graduating_business_closed for a
/// student in its stage's final grade between the graduating freeze and the promotion.
enum class NewCase { kTransfer, kStatusChange };
Status CheckYearEnd(const RegistryCalendar& calendar, Date today, const Student& s, NewCase kind);

}  // namespace nemis::registry
