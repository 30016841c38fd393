// The working calendar a node runs on: the years its software ships (calendar/
// cn_holidays.txt) and those its operator adds from the setting workflow.holiday_calendar_file,
// a file in the same format, for a year the State Council has published (each November)
// before a release ships it. A year the release ships cannot be listed again.
#pragma once

#include <string>

#include "base/result.hpp"
#include "workflow/working_calendar.hpp"

namespace nemis::workflow {

inline constexpr std::string_view kHolidayCalendarSetting = "workflow.holiday_calendar_file";

/// The shipped calendar with the years of the file at `path` (empty: none). Errors name the
/// setting and the file: unreadable, a bad line (its number), a year already shipped.
Result<WorkingCalendar> NodeCalendar(const std::string& path);

}  // namespace nemis::workflow
