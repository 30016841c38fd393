// The working-day calendar: parsing the holiday data strictly (a typo in a date must not
// silently turn a holiday into a working day) and counting working days over it.
#include "workflow/working_calendar.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nemis::workflow {

// Generated at configure time from calendar/cn_holidays.txt (cmake/NemisEmbedText.cmake).
std::string_view ShippedCalendarText();

namespace {

// \r too, so that a file saved with CRLF line ends reads the same.
constexpr std::string_view kWhitespace = " \t\r";

struct DayRange {
  Date first;
  Date last;
};

Error LineError(size_t line, const std::string& message) {
  return {ErrorKind::kInvalid,
          "calendar_data_invalid",
          "节假日数据第 " + std::to_string(line) + " 行：" + message,
          {}};
}

std::vector<std::string_view> SplitFields(std::string_view s) {
  std::vector<std::string_view> fields;
  while (true) {
    size_t begin = s.find_first_not_of(kWhitespace);
    if (begin == std::string_view::npos) return fields;
    s.remove_prefix(begin);
    size_t end = std::min(s.find_first_of(kWhitespace), s.size());
    fields.push_back(s.substr(0, end));
    s.remove_prefix(end);
  }
}

// Monday is 1, Sunday 7.
unsigned IsoWeekday(int64_t days) {
  return std::chrono::weekday(std::chrono::sys_days(std::chrono::days(days))).iso_encoding();
}

Result<int> ParseYear(std::string_view field, size_t line) {
  int year = 0;
  const char* end = field.data() + field.size();
  if (field.size() != 4 || std::from_chars(field.data(), end, year).ptr != end || year < 1000) {
    return LineError(line, "年份应为四位数字，而不是“" + std::string(field) + "”");
  }
  return year;
}

// "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD", both ends inside `year`.
Result<DayRange> ParseRange(std::string_view field, int year, size_t line) {
  size_t dots = field.find("..");
  std::optional<Date> first = ParseIsoDate(field.substr(0, dots));
  std::optional<Date> last =
      dots == std::string_view::npos ? first : ParseIsoDate(field.substr(dots + 2));
  if (!first || !last) {
    return LineError(line, "日期应写作 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD，而不是“" +
                               std::string(field) + "”");
  }
  if (*last < *first) return LineError(line, "日期范围的结束早于开始");
  if (year == 0) return LineError(line, "日期之前缺少 year 行");
  if (first->year != year || last->year != year) {
    return LineError(line, "日期不属于本段的 " + std::to_string(year) + " 年");
  }
  return DayRange{*first, *last};
}

// Records each day of `range` as a holiday (working == false) or a make-up working day.
Status AddExceptions(DayRange range, bool working, size_t line,
                     std::map<int64_t, bool>& exceptions) {
  for (int64_t day = range.first.DaysSinceEpoch(); day <= range.last.DaysSinceEpoch(); ++day) {
    std::string iso = Date::FromDaysSinceEpoch(day).ToIso();
    if (working && IsoWeekday(day) < 6) {
      return LineError(line, "调休上班日 " + iso + " 不是周六或周日");
    }
    auto [it, added] = exceptions.emplace(day, working);
    if (!added) {
      return LineError(
          line, it->second == working ? iso + " 重复列出" : iso + " 既是放假日又是调休上班日");
    }
  }
  return {};
}

Error YearMissing(int year) {
  return {
      ErrorKind::kUnavailable,
      "calendar_year_missing",
      "工作日历缺少 " + std::to_string(year) +
          " 年的节假日安排，请系统管理员按国务院公布的安排在 workflow.holiday_calendar_file 中补充",
      {}};
}

Status CheckValid(Date date) {
  if (date.IsValid()) return {};
  return Error{ErrorKind::kInvalid, "date_invalid", "日期无效：" + date.ToIso(), {}};
}

}  // namespace

Result<WorkingCalendar> WorkingCalendar::Parse(std::string_view text) {
  WorkingCalendar calendar;
  int year = 0;  // of the current block; 0 before the first `year` line
  size_t line = 0;
  while (!text.empty()) {
    ++line;
    size_t end = std::min(text.find('\n'), text.size());
    std::string_view content = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    std::vector<std::string_view> fields = SplitFields(content.substr(0, content.find('#')));
    if (fields.empty()) continue;
    if (fields[0] == "year" && fields.size() == 2) {
      NEMIS_ASSIGN_OR_RETURN(year, ParseYear(fields[1], line));
      if (!calendar.years_.insert(year).second) {
        return LineError(line, std::to_string(year) + " 年重复出现");
      }
    } else if ((fields[0] == "holiday" || fields[0] == "workday") && fields.size() == 3) {
      NEMIS_ASSIGN_OR_RETURN(DayRange range, ParseRange(fields[1], year, line));
      NEMIS_TRY(AddExceptions(range, fields[0] == "workday", line, calendar.exceptions_));
    } else {
      return LineError(line, "应为 “year YYYY”、“holiday 日期 名称” 或 “workday 日期 名称”");
    }
  }
  return calendar;
}

const WorkingCalendar& WorkingCalendar::Shipped() {
  // A bad shipped file is a defect of the build (the tests parse it), which no caller
  // could handle: an exception, not a Result.
  static const WorkingCalendar calendar = [] {
    Result<WorkingCalendar> parsed = Parse(ShippedCalendarText());
    if (!parsed.ok()) {
      throw std::logic_error("calendar/cn_holidays.txt: " + parsed.error().message);
    }
    return std::move(parsed).value();
  }();
  return calendar;
}

bool WorkingCalendar::Covers(Date date) const {
  return date.IsValid() && years_.contains(date.year);
}

Result<bool> WorkingCalendar::IsWorkingDay(Date date) const {
  NEMIS_TRY(CheckValid(date));
  if (!Covers(date)) return YearMissing(date.year);
  int64_t day = date.DaysSinceEpoch();
  if (auto it = exceptions_.find(day); it != exceptions_.end()) return it->second;
  return IsoWeekday(day) <= 5;
}

Status WorkingCalendar::Add(const WorkingCalendar& more) {
  for (int year : more.years_)
    if (years_.contains(year))
      return Error{ErrorKind::kInvalid,
                   "calendar_year_repeated",
                   std::to_string(year) + " 年的节假日安排已随软件提供，不能再次列出",
                   {}};
  years_.insert(more.years_.begin(), more.years_.end());
  exceptions_.insert(more.exceptions_.begin(), more.exceptions_.end());
  return {};
}

Result<Date> WorkingCalendar::AddWorkingDays(Date start, int n, MissingYear missing) const {
  if (n < 1) {
    return Error{ErrorKind::kInvalid,
                 "working_days_invalid",
                 "工作日数应至少为 1，而不是 " + std::to_string(n),
                 {}};
  }
  NEMIS_TRY(CheckValid(start));
  // Ends: every step either counts or reaches a year the data lacks, which fails (or, with
  // kWeekdays, is counted by the weekday rule).
  int64_t day = start.DaysSinceEpoch();
  for (int counted = 0; counted < n;) {
    const Date date = Date::FromDaysSinceEpoch(++day);
    bool working = IsoWeekday(day) <= 5;
    if (missing == MissingYear::kFail || Covers(date)) {
      NEMIS_ASSIGN_OR_RETURN(working, IsWorkingDay(date));
    }
    if (working) ++counted;
  }
  return Date::FromDaysSinceEpoch(day);
}

Result<int> WorkingCalendar::WorkingDaysBetween(Date from, Date to) const {
  NEMIS_TRY(CheckValid(from));
  NEMIS_TRY(CheckValid(to));
  int count = 0;
  for (int64_t day = from.DaysSinceEpoch() + 1; day <= to.DaysSinceEpoch(); ++day) {
    NEMIS_ASSIGN_OR_RETURN(bool working, IsWorkingDay(Date::FromDaysSinceEpoch(day)));
    if (working) ++count;
  }
  return count;
}

}  // namespace nemis::workflow
