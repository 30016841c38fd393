// Ad hoc filters: parsed with the failing part named; counted by grouping over the filter's
// dimensions too and keeping what every condition admits, re-grouped as asked.
#include "stats/filtered_counts.hpp"

#include <gtest/gtest.h>

#include "testing/result_matchers.hpp"

namespace nemis::stats {
namespace {

using nemis::testing::IsErrorCode;
using registry::StatsDimension;
using registry::StatsQuery;
using registry::StatsResult;

TEST(FilteredCountsTest, AFilterParsesIntoConditionsOrNamesItsBadPart) {
  auto where = ParseFilter("grade=1|2;ethnicity!=01;gender=2");
  ASSERT_OK(where);
  ASSERT_EQ(where->size(), 3u);
  EXPECT_EQ((*where)[0].dimension, StatsDimension::kGrade);
  EXPECT_EQ((*where)[0].values, (std::vector<db::Value>{int64_t{1}, int64_t{2}}));
  EXPECT_TRUE((*where)[1].negate);
  EXPECT_EQ((*where)[1].values, std::vector<db::Value>{std::string("01")});
  EXPECT_TRUE(ParseFilter("")->empty());
  for (const char* bad :
       {"grade", "grade=", "grade=one", "shoeSize=3", "org=440100", "=2", "grade=1|"}) {
    auto r = ParseFilter(bad);
    EXPECT_THAT(r, IsErrorCode("bad_filter")) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find(bad), std::string::npos) << r.error().message;
    }
  }
}

TEST(FilteredCountsTest, CountsWhatTheConditionsAdmitRegroupedAsAsked) {
  std::vector<StatsDimension> asked_by;
  const StudentCounter count = [&](const StatsQuery& q) -> Result<StatsResult> {
    asked_by = q.by;  // (grade, gender, ethnicity)
    StatsResult r{"440106", q.by, {}, 0};
    const auto add = [&](int64_t grade, int64_t gender, const char* eth, int64_t n) {
      r.rows.push_back({{grade, gender, std::string(eth)}, n});
      r.total += n;
    };
    add(1, 1, "01", 10);
    add(1, 2, "01", 7);
    add(1, 2, "02", 3);
    add(2, 2, "03", 4);
    add(3, 2, "02", 6);
    return r;
  };
  auto where = ParseFilter("gender=2;ethnicity!=01;grade=1|2");
  ASSERT_OK(where);
  auto r = CountFiltered(StatsQuery{"440106", {StatsDimension::kGrade}, false}, *where, count);
  ASSERT_OK(r);
  EXPECT_EQ(asked_by, (std::vector<StatsDimension>{StatsDimension::kGrade, StatsDimension::kGender,
                                                   StatsDimension::kEthnicity}));
  EXPECT_EQ(r->by, std::vector<StatsDimension>{StatsDimension::kGrade});
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].keys, std::vector<db::Value>{int64_t{1}});
  EXPECT_EQ(r->rows[0].count, 3);
  EXPECT_EQ(r->rows[1].count, 4);
  EXPECT_EQ(r->total, 7);
  // Nothing admitted and no grouping: one row of 0, as a plain count.
  auto none = CountFiltered(StatsQuery{"440106", {}, false}, *ParseFilter("grade=9"), count);
  ASSERT_OK(none);
  ASSERT_EQ(none->rows.size(), 1u);
  EXPECT_EQ(none->rows[0].count, 0);
}

}  // namespace
}  // namespace nemis::stats
