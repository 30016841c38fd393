#include "api/public_figures.hpp"

#include <gtest/gtest.h>

namespace nemis::api {
namespace {

TEST(StudentBandTest, EdgesFallInTheHigherBand) {
  EXPECT_EQ(BandOf(0).label, "<100");
  EXPECT_EQ(BandOf(1).label, "<100");
  EXPECT_EQ(BandOf(99).label, "<100");
  EXPECT_EQ(BandOf(100).label, "100–499");
  EXPECT_EQ(BandOf(499).label, "100–499");
  EXPECT_EQ(BandOf(500).label, "500–999");
  EXPECT_EQ(BandOf(999).label, "500–999");
  EXPECT_EQ(BandOf(1000).label, "1000–1999");
  EXPECT_EQ(BandOf(1999).label, "1000–1999");
  EXPECT_EQ(BandOf(2000).label, "≥2000");
  EXPECT_EQ(BandOf(2000).min, 2000);
  EXPECT_FALSE(BandOf(250000).max.has_value());
  EXPECT_EQ(BandOf(1000).min, 1000);
  EXPECT_EQ(BandOf(1000).max, 1999);
}

std::vector<bool> Withheld(const std::vector<int64_t>& counts, int64_t min_cell, bool total_shown) {
  std::vector<Cell> cells;
  cells.reserve(counts.size());
  for (auto c : counts) cells.push_back({"x", "x", c});
  SuppressSmallCells(cells, min_cell, total_shown);
  std::vector<bool> out;
  out.reserve(cells.size());
  for (const auto& c : cells) out.push_back(c.suppressed);
  return out;
}

TEST(SuppressSmallCellsTest, WithholdsCountsBelowTheThreshold) {
  EXPECT_EQ(Withheld({9, 10}, 10, false), (std::vector<bool>{true, false}));
  EXPECT_EQ(Withheld({10, 11, 500}, 10, true), (std::vector<bool>{false, false, false}));
  EXPECT_EQ(Withheld({1, 2, 3}, 10, false), (std::vector<bool>{true, true, true}));
}

TEST(SuppressSmallCellsTest, ALoneWithheldCellTakesTheSmallestOtherWithIt) {
  // 9 + 10 + 40 = 59 shown: 59 - 10 - 40 would give the 9 back.
  EXPECT_EQ(Withheld({40, 9, 10}, 10, true), (std::vector<bool>{false, true, true}));
  EXPECT_EQ(Withheld({9, 12, 12}, 10, true), (std::vector<bool>{true, true, false}));
  // Two withheld already: only their sum follows from the total.
  EXPECT_EQ(Withheld({3, 4, 50}, 10, true), (std::vector<bool>{true, true, false}));
  // Without the total, the other cells give nothing away.
  EXPECT_EQ(Withheld({40, 9}, 10, false), (std::vector<bool>{false, true}));
}

TEST(SuppressSmallCellsTest, AThresholdOfOneWithholdsNothing) {
  EXPECT_EQ(Withheld({1, 2}, 1, true), (std::vector<bool>{false, false}));
  EXPECT_EQ(Withheld({1, 2}, 0, true), (std::vector<bool>{false, false}));
}

}  // namespace
TEST(RoundToBaseTest, RoundsToTheNearestMultipleHalvesUp) {
  EXPECT_EQ(RoundToBase(0, 5), 0);
  EXPECT_EQ(RoundToBase(2, 5), 0);
  EXPECT_EQ(RoundToBase(3, 5), 5);
  EXPECT_EQ(RoundToBase(84, 5), 85);
  EXPECT_EQ(RoundToBase(167, 5), 165);
  EXPECT_EQ(RoundToBase(169, 5), 170);
  EXPECT_EQ(RoundToBase(284, 10), 280);
  EXPECT_EQ(RoundToBase(285, 10), 290);
  EXPECT_EQ(RoundToBase(169, 1), 169);
  EXPECT_EQ(RoundToBase(169, 0), 169);
}

}  // namespace nemis::api
