#include "base/date.hpp"

#include <gtest/gtest.h>

namespace nemis {
namespace {

TEST(UtcTest, ParseUtcIsTheInverseOfFormatUtc) {
  auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796300123456));
  auto parsed = ParseUtc(FormatUtc(t));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, t);
  EXPECT_EQ(FormatUtc(*ParseUtc("2000-02-29T23:59:59.999Z")), "2000-02-29T23:59:59.999Z");
  for (const char* bad :
       {"2026-02-30T00:00:00.000Z", "2026-12-03T24:00:00.000Z", "2026-12-03T12:60:00.000Z",
        "2026-12-03 12:00:00.000Z", "2026-12-03T12:00:00Z", "", "2026-12-03T12:00:00.000+08"})
    EXPECT_FALSE(ParseUtc(bad).has_value()) << bad;
}

TEST(DateTest, ParsesIsoAndRejectsImpossibleDates) {
  EXPECT_EQ(ParseIsoDate("2024-02-29")->ToIso(), "2024-02-29");
  EXPECT_FALSE(ParseIsoDate("2023-02-29"));
  EXPECT_FALSE(ParseIsoDate("1900-02-29"));
  EXPECT_TRUE(ParseIsoDate("2000-02-29"));
  EXPECT_FALSE(ParseIsoDate("2024-13-01"));
  EXPECT_FALSE(ParseIsoDate("2024-1-01"));
  EXPECT_FALSE(ParseIsoDate("2024-01-00"));
  EXPECT_FALSE(ParseCompactDate("19491231x"));
  EXPECT_EQ(*ParseCompactDate("19491231"), (Date{1949, 12, 31}));
}

TEST(DateTest, DaysSinceEpochRoundTrips) {
  EXPECT_EQ((Date{1970, 1, 1}).DaysSinceEpoch(), 0);
  EXPECT_EQ((Date{2000, 3, 1}).DaysSinceEpoch(), 11017);
  for (int64_t d = -800000; d < 800000; d += 997)
    EXPECT_EQ(Date::FromDaysSinceEpoch(d).DaysSinceEpoch(), d);
}

TEST(DateTest, TodayInChinaIsUtcPlusEight) {
  // 2026-08-09T16:00:00Z is 2026-08-10 00:00 in Beijing: the promotion cut-over.
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1786291200));
  FixedClock clock(t);
  EXPECT_EQ(clock.TodayInChina(), (Date{2026, 8, 10}));
  clock.Set(t - std::chrono::seconds(1));
  EXPECT_EQ(clock.TodayInChina(), (Date{2026, 8, 9}));
  EXPECT_EQ(FormatUtc(t), "2026-08-09T16:00:00.000Z");
}

}  // namespace
}  // namespace nemis

namespace nemis {
namespace {

TEST(UnixSecondsTest, WholeSecondsSince1970AndBackToText) {
  FixedClock clock(std::chrono::system_clock::time_point(std::chrono::milliseconds(1796515200999)));
  EXPECT_EQ(clock.UnixSeconds(), 1796515200);  // the milliseconds dropped, not rounded
  EXPECT_EQ(FormatUnixUtc(1796515200), "2026-12-06T00:00:00.000Z");
  EXPECT_EQ(FormatUnixUtc(0), "1970-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace nemis
