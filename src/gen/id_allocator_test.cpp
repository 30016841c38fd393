#include "gen/id_allocator.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "codes/id_number.hpp"

namespace nemis::gen {
namespace {

const Date kToday{2025, 11, 1};

TEST(IdAllocatorTest, GivesValidNumbersWithTheRightGender) {
  IdAllocator ids({"440106", "110105"}, {1950, 1, 1}, kToday);
  char id[18];
  int64_t day = Date{2018, 9, 1}.DaysSinceEpoch();
  for (int gender : {1, 2}) {
    for (uint32_t region : {0u, 1u}) {
      auto born = ids.Allocate(region, gender, day, 1, 0, id);
      ASSERT_TRUE(born);
      EXPECT_EQ(*born, day);
      codes::IdFacts facts;
      ASSERT_EQ(codes::CheckIdNumber({id, 18}, kToday, gender, &facts), codes::IdProblem::kNone)
          << std::string(id, 18);
      EXPECT_EQ(facts.region, region == 0 ? "440106" : "110105");
      EXPECT_EQ(facts.birth_date, (Date{2018, 9, 1}));
    }
  }
}

TEST(IdAllocatorTest, FiveHundredPerDayAndGenderThenTheNextDay) {
  IdAllocator ids({"440106"}, {1950, 1, 1}, kToday);
  char id[18];
  int64_t first = Date{1950, 1, 1}.DaysSinceEpoch();  // before 1970: negative day numbers
  std::set<std::string> seen;
  for (int i = 0; i < 1200; ++i) {
    auto born = ids.Allocate(0, 1, first, 3, 0, id);
    ASSERT_TRUE(born);
    EXPECT_EQ(*born, first + i / 500);
    ASSERT_TRUE(seen.insert(std::string(id, 18)).second) << std::string(id, 18);
    EXPECT_EQ(codes::CheckIdNumber({id, 18}, kToday, 1), codes::IdProblem::kNone);
  }
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(ids.Allocate(0, 1, first, 3, 0, id));
  EXPECT_FALSE(ids.Allocate(0, 1, first, 3, 0, id));  // 3 days x 500 used up
  EXPECT_TRUE(ids.Allocate(0, 2, first, 3, 0, id));   // women have their own 500
}

TEST(IdAllocatorTest, DaysHaveTheirTextForms) {
  IdAllocator ids({"440106"}, {1950, 1, 1}, kToday);
  const DayText& t = ids.Day(Date{2024, 2, 29}.DaysSinceEpoch());
  EXPECT_EQ(std::string(t.iso, 10), "2024-02-29");
  EXPECT_EQ(std::string(t.compact, 8), "20240229");
  EXPECT_EQ(ids.first_day(), (Date{1950, 1, 1}.DaysSinceEpoch()));
  EXPECT_EQ(ids.last_day(), kToday.DaysSinceEpoch());
}

}  // namespace
}  // namespace nemis::gen
