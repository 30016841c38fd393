// The scanner every integration test's logs go through must itself find what it looks for.
#include "personal_data_scan.hpp"

#include <gtest/gtest.h>

namespace nemis::it {
namespace {

TEST(PersonalDataScanTest, FindsValidIdNumbersAloneOrInsideGNumbersOnly) {
  // GB 11643 appendix examples: 11010519491231002X, 440524188001010014.
  std::string log = R"({"path":"/api/v1/students/G11010519491231002X","x":"440524188001010014",)"
                    R"("ts":"2026-11-22T03:00:00.000Z","requestId":"ab12cd34ef56ab78"})";
  EXPECT_EQ(FindIdNumbers(log),
            (std::vector<std::string>{"11010519491231002X", "440524188001010014"}));
  EXPECT_TRUE(FindIdNumbers("440524188001010015").empty()) << "a wrong check digit is not an ID";
  EXPECT_TRUE(FindIdNumbers("1440524188001010014").empty()) << "19 digits are something else";
  EXPECT_TRUE(FindIdNumbers("G440***********0014 2144000001 440106 1795000000123").empty());
  EXPECT_EQ(FindIdNumbers("11010519491231002x").size(), 1u);
}

}  // namespace
}  // namespace nemis::it
