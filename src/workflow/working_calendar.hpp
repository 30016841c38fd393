// Working days for deadlines ("within 10 working days") and overdue counts. Which days are
// worked follows the State Council holiday calendar, kept as data (calendar/cn_holidays.txt,
// compiled in), not as a rule: the holidays move with the lunar calendar and the make-up
// working weekends (调休上班) are decided each year.
//
// All dates are business dates in China Standard Time (Asia/Shanghai); a caller holding an
// instant converts it first (Clock::TodayInChina).
//
// A date whose year the data does not list fails with calendar_year_missing, kind
// kUnavailable (503): the node's software lacks the year, the caller did nothing wrong, and
// the request succeeds once the year is shipped. Guessing Mon-Fri instead would put
// deadlines on holidays without anyone noticing. The one exception is the case deadline,
// which asks for it (MissingYear::kWeekdays) and says so in the log: the State Council
// publishes a year in November, and no case should wait for a release to open. A node adds
// a year before its release ships it with workflow.holiday_calendar_file (NodeCalendar).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"

namespace nemis::workflow {

/// What a day of a year the data does not list is: an error, or a working day if Mon-Fri.
enum class MissingYear { kFail, kWeekdays };

class WorkingCalendar {
 public:
  /// Reads the data file format (see calendar/cn_holidays.txt); a bad line fails with
  /// calendar_data_invalid naming the line number.
  static Result<WorkingCalendar> Parse(std::string_view text);
  /// The calendar compiled into the binary, parsed on first use.
  static const WorkingCalendar& Shipped();
  /// The years of `more` added to this calendar; calendar_year_repeated if one is listed
  /// here already.
  Status Add(const WorkingCalendar& more);

  /// Whether the data lists the date's year.
  bool Covers(Date date) const;
  /// Mon-Fri unless a holiday; Saturday and Sunday only when a make-up working day.
  Result<bool> IsWorkingDay(Date date) const;
  /// The date `n` (>= 1) working days after `start`; `start` itself is not counted. Days of
  /// a year the data lacks fail, or with kWeekdays count Mon-Fri.
  Result<Date> AddWorkingDays(Date start, int n, MissingYear missing = MissingYear::kFail) const;
  /// The working days after `from` up to and including `to` (0 when `to` <= `from`):
  /// how many working days a case due on `from` is overdue on `to`.
  Result<int> WorkingDaysBetween(Date from, Date to) const;

 private:
  std::set<int> years_;
  // Days since the epoch whose status differs from the weekday rule: false for a holiday,
  // true for a make-up working day.
  std::map<int64_t, bool> exceptions_;
};

}  // namespace nemis::workflow
