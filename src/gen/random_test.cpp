#include "gen/random.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "gen/school_names.hpp"

namespace nemis::gen {
namespace {

TEST(RngTest, DeterministicPerSeedAndStream) {
  Rng a(42), b(42), c(43), d(42, 1);
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    EXPECT_NE(x, c.Next());
    EXPECT_NE(x, d.Next());
  }
}

TEST(RngTest, BoundedDrawsStayInRange) {
  Rng rng(1);
  std::vector<int> counts(10);
  for (int i = 0; i < 100000; ++i) ++counts[rng.Below(10)];
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
  for (int i = 0; i < 1000; ++i) {
    int v = rng.Between(-2, 2);
    EXPECT_GE(v, -2);
    EXPECT_LE(v, 2);
  }
}

TEST(WeightedTableTest, FollowsTheWeightsAndKeepsRareOnes) {
  std::vector<double> weights = {97.9, 2.0, 0.005, 0, 0.095};
  WeightedTable table(weights);
  Rng rng(3);
  std::vector<int> counts(weights.size());
  const int n = 1000000;
  for (int i = 0; i < n; ++i) ++counts[table.Pick(rng)];
  EXPECT_NEAR(counts[0], n * 0.979, n * 0.003);
  EXPECT_NEAR(counts[1], n * 0.02, n * 0.002);
  EXPECT_GT(counts[2], 0);  // rarer than one slot, still reachable
  EXPECT_EQ(counts[3], 0);  // zero weight never drawn
  EXPECT_GT(counts[4], 0);
}

TEST(ChineseNumberTest, WritesSchoolNumbers) {
  EXPECT_EQ(ChineseNumber(1), "一");
  EXPECT_EQ(ChineseNumber(10), "十");
  EXPECT_EQ(ChineseNumber(12), "十二");
  EXPECT_EQ(ChineseNumber(20), "二十");
  EXPECT_EQ(ChineseNumber(47), "四十七");
  EXPECT_EQ(ChineseNumber(100), "一百");
  EXPECT_EQ(ChineseNumber(105), "一百零五");
  EXPECT_EQ(ChineseNumber(110), "一百一十");
  EXPECT_EQ(ChineseNumber(1010), "一千零一十");
  EXPECT_EQ(ChineseNumber(12345), "12345");
}

}  // namespace
}  // namespace nemis::gen
