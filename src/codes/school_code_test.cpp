#include "codes/school_code.hpp"

#include <gtest/gtest.h>

namespace nemis::codes {
namespace {

TEST(SchoolCodeTest, AcceptsWellFormedCodes) {
  EXPECT_EQ(CheckSchoolCode("2144000123"), SchoolCodeProblem::kNone);
  EXPECT_EQ(CheckSchoolCode("1111000001"), SchoolCodeProblem::kNone);
  EXPECT_EQ(CheckSchoolCode("5165999999"), SchoolCodeProblem::kNone);
  EXPECT_EQ(SchoolCodeCategory("2144000123"), "21");
  EXPECT_EQ(SchoolCodeProvince("2144000123"), "440000");
}

TEST(SchoolCodeTest, RejectsWrongLengthAndCharacters) {
  EXPECT_EQ(CheckSchoolCode("214400012"), SchoolCodeProblem::kLength);
  EXPECT_EQ(CheckSchoolCode("21440001234"), SchoolCodeProblem::kLength);
  EXPECT_EQ(CheckSchoolCode(""), SchoolCodeProblem::kLength);
  EXPECT_EQ(CheckSchoolCode("21440001A3"), SchoolCodeProblem::kCharacters);
  EXPECT_EQ(CheckSchoolCode("２１４４０００１２"), SchoolCodeProblem::kLength);
  EXPECT_EQ(CheckSchoolCode("-144000123"), SchoolCodeProblem::kCharacters);
}

TEST(SchoolCodeTest, RejectsUnknownCategoryAndProvince) {
  EXPECT_EQ(CheckSchoolCode("9944000123"), SchoolCodeProblem::kUnknownCategory);
  EXPECT_EQ(CheckSchoolCode("0044000123"), SchoolCodeProblem::kUnknownCategory);
  EXPECT_EQ(CheckSchoolCode("2100000123"), SchoolCodeProblem::kUnknownProvince);
  EXPECT_EQ(CheckSchoolCode("2172000123"), SchoolCodeProblem::kUnknownProvince);
  EXPECT_EQ(CheckSchoolCode("2199000123"), SchoolCodeProblem::kUnknownProvince);
  EXPECT_EQ(CheckSchoolCode("2190000123"), SchoolCodeProblem::kUnknownProvince);
}

TEST(SchoolCodeTest, PartsOfShortCodes) {
  EXPECT_EQ(SchoolCodeCategory("2"), "");
  EXPECT_EQ(SchoolCodeProvince("214"), "");
  EXPECT_EQ(SchoolCodeProvince("21AB"), "");
  EXPECT_EQ(SchoolCodeProblemCode(SchoolCodeProblem::kUnknownProvince), "unknown_province");
  EXPECT_FALSE(SchoolCodeProblemMessage(SchoolCodeProblem::kLength).empty());
}

}  // namespace
}  // namespace nemis::codes
