#include "workflow/working_calendar.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "testing/result_matchers.hpp"

namespace nemis::workflow {
namespace {

using ::nemis::testing::IsErrorCode;
using ::nemis::testing::IsErrorKind;
using ::testing::HasSubstr;

Date D(int year, int month, int day) { return Date{year, month, day}; }

bool Working(Date date, const WorkingCalendar& calendar = WorkingCalendar::Shipped()) {
  Result<bool> working = calendar.IsWorkingDay(date);
  EXPECT_OK(working) << date.ToIso();
  return working.ok() && *working;
}

Date Add(Date start, int n) {
  Result<Date> due = WorkingCalendar::Shipped().AddWorkingDays(start, n);
  EXPECT_OK(due) << start.ToIso() << " + " << n;
  return due.ok() ? *due : Date{};
}

int Between(Date from, Date to) {
  Result<int> days = WorkingCalendar::Shipped().WorkingDaysBetween(from, to);
  EXPECT_OK(days) << from.ToIso() << " .. " << to.ToIso();
  return days.ok() ? *days : -1;
}

// The vectors below come from the State Council notices for 2025 and 2026.

TEST(WorkingCalendarTest, ShippedDataCoversTheYearsItLists) {
  const WorkingCalendar& calendar = WorkingCalendar::Shipped();
  EXPECT_TRUE(calendar.Covers(D(2025, 1, 1)));
  EXPECT_TRUE(calendar.Covers(D(2026, 12, 31)));
  EXPECT_FALSE(calendar.Covers(D(2024, 12, 31)));
  EXPECT_FALSE(calendar.Covers(D(2027, 1, 1)));
}

TEST(WorkingCalendarTest, NationalDay2025HolidaysAndMakeUpWeekends) {
  EXPECT_TRUE(Working(D(2025, 9, 28)));  // Sunday, 调休上班
  for (int day = 1; day <= 8; ++day) EXPECT_FALSE(Working(D(2025, 10, day))) << day;
  EXPECT_TRUE(Working(D(2025, 10, 9)));
  EXPECT_TRUE(Working(D(2025, 10, 11)));   // Saturday, 调休上班
  EXPECT_FALSE(Working(D(2025, 10, 12)));  // an ordinary Sunday
  EXPECT_EQ(Add(D(2025, 9, 30), 1), D(2025, 10, 9));
}

TEST(WorkingCalendarTest, SpringFestival2026) {
  EXPECT_TRUE(Working(D(2026, 2, 14)));   // Saturday, 调休上班
  EXPECT_FALSE(Working(D(2026, 2, 16)));  // Monday, 春节
  EXPECT_TRUE(Working(D(2026, 2, 28)));   // Saturday, 调休上班
  EXPECT_EQ(Add(D(2026, 2, 13), 1), D(2026, 2, 14));
  EXPECT_EQ(Add(D(2026, 2, 13), 2), D(2026, 2, 24));  // 2/15-2/23 off
  EXPECT_EQ(Add(D(2025, 1, 27), 1), D(2025, 2, 5));   // 2025: 1/28-2/4 off
}

TEST(WorkingCalendarTest, AddWorkingDaysOverOrdinaryWeeks) {
  // March 2025 has no holidays; the start is not counted, so 10 working days from Monday
  // 3 March end on Monday 17 March, and 9 on the Friday of the next week.
  EXPECT_EQ(Add(D(2025, 3, 3), 10), D(2025, 3, 17));
  EXPECT_EQ(Add(D(2025, 3, 3), 9), D(2025, 3, 14));
  EXPECT_EQ(Add(D(2025, 3, 7), 1), D(2025, 3, 10));  // Friday -> Monday
  EXPECT_EQ(Add(D(2025, 3, 8), 1), D(2025, 3, 10));  // from a Saturday
}

TEST(WorkingCalendarTest, AddWorkingDaysCrossesIntoACoveredYear) {
  EXPECT_EQ(Add(D(2025, 12, 31), 1), D(2026, 1, 4));  // 1/1-1/3 off, Sunday 1/4 worked
  EXPECT_EQ(Add(D(2024, 12, 31), 1), D(2025, 1, 2));  // the start itself need not be covered
}

TEST(WorkingCalendarTest, WorkingDaysBetweenCountsOverdueDays) {
  EXPECT_EQ(Between(D(2025, 9, 30), D(2025, 10, 8)), 0);
  EXPECT_EQ(Between(D(2025, 9, 30), D(2025, 10, 9)), 1);
  EXPECT_EQ(Between(D(2025, 9, 30), D(2025, 9, 30)), 0);
  EXPECT_EQ(Between(D(2025, 10, 9), D(2025, 9, 30)), 0);  // not yet due
  // 261 weekdays, 18 of them off (19 in 2026), 5 make-up weekends (6 in 2026).
  EXPECT_EQ(Between(D(2024, 12, 31), D(2025, 12, 31)), 248);
  EXPECT_EQ(Between(D(2025, 12, 31), D(2026, 12, 31)), 248);
}

TEST(WorkingCalendarTest, AYearNotCoveredIsAnErrorNamingIt) {
  const WorkingCalendar& calendar = WorkingCalendar::Shipped();
  Result<bool> working = calendar.IsWorkingDay(D(2027, 1, 4));
  ASSERT_THAT(working, IsErrorCode("calendar_year_missing"));
  EXPECT_THAT(working, IsErrorKind(ErrorKind::kUnavailable));
  EXPECT_THAT(working.error().message, HasSubstr("2027"));
  Result<Date> due = calendar.AddWorkingDays(D(2026, 12, 30), 5);
  ASSERT_THAT(due, IsErrorCode("calendar_year_missing"));
  EXPECT_THAT(due.error().message, HasSubstr("2027"));
  EXPECT_THAT(calendar.WorkingDaysBetween(D(2026, 12, 1), D(2027, 1, 5)),
              IsErrorCode("calendar_year_missing"));
}

// The case deadline's choice (case_store.cpp): a year the data lacks counted Mon-Fri. From
// Wednesday 30 December 2026, five days: 31 December, then 1 (Friday), 4, 5, 6 January 2027.
TEST(WorkingCalendarTest, AMissingYearMayBeCountedMondayToFriday) {
  const WorkingCalendar& calendar = WorkingCalendar::Shipped();
  auto due = calendar.AddWorkingDays(D(2026, 12, 30), 5, MissingYear::kWeekdays);
  ASSERT_OK(due);
  EXPECT_EQ(due->ToIso(), "2027-01-06");
  // Within covered years the holidays still count: 30 September 2026 + 1 is 8 October.
  auto national_day = calendar.AddWorkingDays(D(2026, 9, 30), 1, MissingYear::kWeekdays);
  ASSERT_OK(national_day);
  EXPECT_EQ(national_day->ToIso(), "2026-10-08");
}

// A node adds a year the release does not ship (node_calendar.hpp); a shipped year cannot
// be listed again.
TEST(WorkingCalendarTest, AnotherCalendarAddsItsYears) {
  WorkingCalendar calendar = WorkingCalendar::Shipped();
  auto more = WorkingCalendar::Parse("year 2027\nholiday 2027-01-01 元旦\n");
  ASSERT_OK(more);
  ASSERT_OK(calendar.Add(*more));
  EXPECT_TRUE(calendar.Covers(D(2027, 6, 1)));
  EXPECT_FALSE(Working(D(2027, 1, 1), calendar));
  EXPECT_TRUE(Working(D(2027, 1, 4), calendar));
  EXPECT_TRUE(Working(D(2026, 12, 31), calendar));
  auto again = WorkingCalendar::Parse("year 2026\n");
  ASSERT_OK(again);
  EXPECT_THAT(calendar.Add(*again), IsErrorCode("calendar_year_repeated"));
}

TEST(WorkingCalendarTest, RejectsBadArguments) {
  const WorkingCalendar& calendar = WorkingCalendar::Shipped();
  EXPECT_THAT(calendar.AddWorkingDays(D(2025, 3, 3), 0), IsErrorCode("working_days_invalid"));
  EXPECT_THAT(calendar.AddWorkingDays(D(2025, 3, 3), -1), IsErrorCode("working_days_invalid"));
  EXPECT_THAT(calendar.IsWorkingDay(D(2025, 2, 29)), IsErrorCode("date_invalid"));
  EXPECT_FALSE(calendar.Covers(D(2025, 2, 29)));
}

TEST(WorkingCalendarTest, ParsesCommentsBlankLinesAndCrlf) {
  Result<WorkingCalendar> calendar = WorkingCalendar::Parse(
      "# header\r\n\r\nyear 2030  # trailing comment\r\n"
      "holiday 2030-01-01 元旦\r\nworkday 2030-01-05..2030-01-06 test\r\n");
  ASSERT_OK(calendar);
  EXPECT_FALSE(Working(D(2030, 1, 1), *calendar));  // Tuesday
  EXPECT_TRUE(Working(D(2030, 1, 5), *calendar));   // Saturday
  EXPECT_TRUE(Working(D(2030, 1, 6), *calendar));   // Sunday
  EXPECT_FALSE(Working(D(2030, 1, 12), *calendar));
}

struct BadData {
  const char* text;
  const char* line;  // as the message names it
  const char* why;   // part of the message
};

TEST(WorkingCalendarTest, RejectsMalformedDataNamingTheLine) {
  const BadData cases[] = {
      {"year 2025\nholiday 2025-13-01 x\n", "第 2 行", "YYYY-MM-DD"},
      {"holiday 2025-01-01 元旦\n", "第 1 行", "缺少 year"},
      {"year 2025\n\n# c\nholidays 2025-01-01 x\n", "第 4 行", "应为"},
      {"year 2025\nholiday 2025-01-01\n", "第 2 行", "应为"},
      {"year 2025\nholiday 2025-01-01 元旦 extra\n", "第 2 行", "应为"},
      {"year 25\n", "第 1 行", "四位"},
      {"year 2025\nyear 2025\n", "第 2 行", "重复"},
      {"year 2025\nholiday 2026-01-01 x\n", "第 2 行", "不属于"},
      {"year 2025\nholiday 2025-01-05..2025-01-01 x\n", "第 2 行", "早于"},
      {"year 2025\nholiday 2025-01-01.. x\n", "第 2 行", "YYYY-MM-DD"},
      {"year 2025\nworkday 2025-01-27 x\n", "第 2 行", "不是周六或周日"},
      {"year 2025\nholiday 2025-01-01 a\nholiday 2025-01-01 b\n", "第 3 行", "重复"},
  };
  for (const BadData& bad : cases) {
    Result<WorkingCalendar> calendar = WorkingCalendar::Parse(bad.text);
    ASSERT_THAT(calendar, IsErrorCode("calendar_data_invalid")) << bad.text;
    EXPECT_THAT(calendar.error().message, HasSubstr(bad.line)) << bad.text;
    EXPECT_THAT(calendar.error().message, HasSubstr(bad.why)) << bad.text;
  }
}

TEST(WorkingCalendarTest, RejectsADateBothHolidayAndMakeUpDay) {
  Result<WorkingCalendar> calendar = WorkingCalendar::Parse(
      "year 2025\nholiday 2025-01-26..2025-01-28 春节\nworkday 2025-01-26 春节\n");
  ASSERT_THAT(calendar, IsErrorCode("calendar_data_invalid"));
  EXPECT_THAT(calendar.error().message, HasSubstr("第 3 行"));
  EXPECT_THAT(calendar.error().message, HasSubstr("2025-01-26 既是放假日又是调休上班日"));
}

}  // namespace
}  // namespace nemis::workflow
