#include "importer/first_occurrence.hpp"

#include <gtest/gtest.h>

#include "codes/id_number.hpp"

namespace nemis::importer {
namespace {

TEST(FirstOccurrenceTest, ReportsTheFirstLineOfARepeatedKey) {
  FirstOccurrence seen;
  uint64_t a = codes::PackIdNumber("11010519491231002X");
  uint64_t b = codes::PackIdNumber("440524188001010014");
  EXPECT_EQ(seen.Insert(a, 2), 0u);
  EXPECT_EQ(seen.Insert(b, 3), 0u);
  EXPECT_EQ(seen.Insert(a, 7), 2u);
  EXPECT_EQ(seen.Insert(std::string("A:E12345678"), 4), 0u);
  EXPECT_EQ(seen.Insert(std::string("A:E12345678"), 9), 4u);
  EXPECT_EQ(seen.size(), 3u);
}

TEST(FirstOccurrenceTest, KeepsEveryKeyAcrossGrowth) {
  FirstOccurrence seen;
  for (uint64_t k = 0; k < 200000; ++k) ASSERT_EQ(seen.Insert(k * 1000003, k + 2), 0u);
  for (uint64_t k = 0; k < 200000; k += 997) ASSERT_EQ(seen.Insert(k * 1000003, 1), k + 2);
  EXPECT_EQ(seen.size(), 200000u);
}

}  // namespace
}  // namespace nemis::importer
