#include "registry/registry_calendar.hpp"

#include <gtest/gtest.h>

#include "testing/result_matchers.hpp"

namespace nemis::registry {
namespace {

using testing::IsErrorCode;

Date D(int y, int m, int d) { return Date{y, m, d}; }

Student InGrade(const std::string& stage, int grade) {
  Student s;
  s.enrolment.stage = stage;
  s.enrolment.grade = grade;
  return s;
}

TEST(RegistryCalendarTest, TheNationalDatesEveryYear) {
  const SchoolYearEnd end = RegistryCalendar::National().Of(2027);
  EXPECT_EQ(end.graduating_freeze, D(2027, 7, 1));
  EXPECT_EQ(end.transfer_freeze, D(2027, 7, 15));
  EXPECT_EQ(end.graduation_deadline, D(2027, 7, 30));
  EXPECT_EQ(end.promotion_day, D(2027, 8, 10));
}

TEST(RegistryCalendarTest, TheFreezesRunToThePromotionDayInclusive) {
  const RegistryCalendar c = RegistryCalendar::National();
  EXPECT_FALSE(c.GraduatingBusinessClosed(D(2026, 6, 30)));
  EXPECT_TRUE(c.GraduatingBusinessClosed(D(2026, 7, 1)));
  EXPECT_TRUE(c.GraduatingBusinessClosed(D(2026, 8, 10)));
  EXPECT_FALSE(c.GraduatingBusinessClosed(D(2026, 8, 11)));
  EXPECT_FALSE(c.TransfersClosed(D(2026, 7, 14)));
  EXPECT_TRUE(c.TransfersClosed(D(2026, 7, 15)));
  EXPECT_TRUE(c.TransfersClosed(D(2026, 8, 10)));
  EXPECT_FALSE(c.TransfersClosed(D(2026, 8, 11)));
  EXPECT_FALSE(c.TransfersClosed(D(2026, 12, 31)));
  EXPECT_FALSE(c.TransfersClosed(D(2027, 1, 1)));
}

TEST(RegistryCalendarTest, ASingleYearOverridesTheEveryYearDates) {
  auto c = RegistryCalendar::Parse("07-01,07-15,07-30,08-10",
                                   " 2027:06-30,07-14,07-29,08-10 ; 2028:07-03,07-17,07-31,08-10");
  ASSERT_OK(c);
  EXPECT_EQ(c->Of(2027).transfer_freeze, D(2027, 7, 14));
  EXPECT_EQ(c->Of(2028).graduating_freeze, D(2028, 7, 3));
  EXPECT_EQ(c->Of(2026).transfer_freeze, D(2026, 7, 15));
  EXPECT_TRUE(c->TransfersClosed(D(2027, 7, 14)));
  EXPECT_FALSE(c->TransfersClosed(D(2026, 7, 14)));
}

TEST(RegistryCalendarTest, BadSettingsAreRefusedNamingTheSetting) {
  struct Case {
    const char* every_year;
    const char* single_years;
    const char* setting;
  };
  for (const Case& k : {
           Case{"07-01,07-15,07-30", "", "registry.calendar"},              // three dates
           Case{"07-01,07-15,07-30,08-10,08-11", "", "registry.calendar"},  // five
           Case{"07-01,07-15,07-32,08-10", "", "registry.calendar"},        // no 32 July
           Case{"02-29,07-15,07-30,08-10", "", "registry.calendar"},        // not every year
           Case{"7-1,07-15,07-30,08-10", "", "registry.calendar"},          // MM-DD only
           Case{"07-15,07-01,07-30,08-10", "", "registry.calendar"},        // out of order
           Case{"07-01,07-15,07-30,08-10", "27:07-01,07-15,07-30,08-10", "registry.calendar_years"},
           Case{"07-01,07-15,07-30,08-10", "2027=07-01,07-15,07-30,08-10",
                "registry.calendar_years"},
           Case{"07-01,07-15,07-30,08-10", "2027:07-01,07-15", "registry.calendar_years"},
       }) {
    auto c = RegistryCalendar::Parse(k.every_year, k.single_years);
    ASSERT_FALSE(c.ok()) << k.every_year << " / " << k.single_years;
    ASSERT_EQ(c.error().fields.size(), 1u);
    EXPECT_EQ(c.error().fields[0].field, k.setting);
    EXPECT_NE(c.error().fields[0].message.find(k.setting), std::string::npos);
  }
}

TEST(RegistryCalendarTest, TheConfiguredCalendarIsRead) {
  Config config;
  ASSERT_OK(config.Set("registry.calendar_years", "2026:07-01,07-10,07-30,08-10", "test"));
  auto c = RegistryCalendarFromConfig(config);
  ASSERT_OK(c);
  EXPECT_EQ(c->Of(2026).transfer_freeze, D(2026, 7, 10));
  ASSERT_OK(config.Set("registry.calendar", "08-10", "test"));
  EXPECT_THAT(RegistryCalendarFromConfig(config), IsErrorCode("validation_failed"));
}

TEST(RegistryCalendarTest, YearEndRefusalsDependOnTheDayTheGradeAndTheKindOfCase) {
  const RegistryCalendar c = RegistryCalendar::National();
  const Student sixth = InGrade("primary", 6), third = InGrade("primary", 3),
                ninth = InGrade("junior", 9), senior3 = InGrade("senior", 12);
  const auto transfer = NewCase::kTransfer, change = NewCase::kStatusChange;
  // Before 1 July: everything is open.
  EXPECT_OK(CheckYearEnd(c, D(2026, 6, 30), sixth, transfer));
  EXPECT_OK(CheckYearEnd(c, D(2026, 6, 30), senior3, change));
  // From 1 July: nothing new for the graduating grades; the others still transfer.
  for (const Student* s : {&sixth, &ninth, &senior3}) {
    EXPECT_THAT(CheckYearEnd(c, D(2026, 7, 1), *s, transfer),
                IsErrorCode("graduating_business_closed"));
    EXPECT_THAT(CheckYearEnd(c, D(2026, 7, 1), *s, change),
                IsErrorCode("graduating_business_closed"));
  }
  EXPECT_OK(CheckYearEnd(c, D(2026, 7, 14), third, transfer));
  EXPECT_OK(CheckYearEnd(c, D(2026, 7, 14), third, change));
  // From 15 July to 10 August: no transfers at all; other business of other grades goes on.
  EXPECT_THAT(CheckYearEnd(c, D(2026, 7, 15), third, transfer), IsErrorCode("transfers_closed"));
  EXPECT_THAT(CheckYearEnd(c, D(2026, 8, 10), third, transfer), IsErrorCode("transfers_closed"));
  EXPECT_OK(CheckYearEnd(c, D(2026, 8, 10), third, change));
  // After the promotion the new school year is open to all.
  EXPECT_OK(CheckYearEnd(c, D(2026, 8, 11), third, transfer));
  EXPECT_OK(CheckYearEnd(c, D(2026, 8, 11), sixth, change));
  auto refused = CheckYearEnd(c, D(2026, 7, 20), third, transfer);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "7月15日至8月10日暂停受理转学申请，新学年（升级后）再办理");
}

}  // namespace
}  // namespace nemis::registry
