// Amounts in 元 to two decimals and school years, at their boundaries.
#include "aid/award_fields.hpp"

#include <gtest/gtest.h>

namespace nemis::aid {
namespace {

TEST(AwardFieldsTest, YuanToFen) {
  EXPECT_EQ(ParseYuan("1500"), 150000);
  EXPECT_EQ(ParseYuan("1500.5"), 150050);
  EXPECT_EQ(ParseYuan("1500.05"), 150005);
  EXPECT_EQ(ParseYuan("0.01"), 1);
  EXPECT_EQ(ParseYuan("1000000"), 100000000);  // the most one award may be
  for (const char* bad : {"", "0", "0.00", "-5", "+5", "1,500", "1500.", ".5", "1500.001",
                          "1000000.01", "12345678", "1e3", "１５００", " 1500", "1500元"})
    EXPECT_EQ(ParseYuan(bad), std::nullopt) << bad;
}

TEST(AwardFieldsTest, FenToYuan) {
  EXPECT_EQ(FormatYuan(150000), "1500.00");
  EXPECT_EQ(FormatYuan(150005), "1500.05");
  EXPECT_EQ(FormatYuan(1), "0.01");
  EXPECT_EQ(FormatYuan(150050), "1500.50");
}

TEST(AwardFieldsTest, SchoolYearsStartInSeptember) {
  EXPECT_EQ(SchoolYearOf({2026, 8, 31}), 2025);
  EXPECT_EQ(SchoolYearOf({2026, 9, 1}), 2026);
  EXPECT_EQ(SchoolYearOf({2027, 1, 15}), 2026);
}

TEST(AwardFieldsTest, SchoolYearAsWritten) {
  EXPECT_EQ(ParseSchoolYear("2026"), 2026);
  EXPECT_EQ(ParseSchoolYear("2026-2027"), 2026);
  EXPECT_EQ(ParseSchoolYear("2026-2027学年"), 2026);
  for (const char* bad : {"", "26", "2026-2028", "2026/2027", "2026-27", "20261", "二〇二六",
                          "2026学年-2027", "学年"})
    EXPECT_EQ(ParseSchoolYear(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace nemis::aid
