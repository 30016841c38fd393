#include "registry/field_parsing.hpp"

#include <gtest/gtest.h>

#include "registry/cursor.hpp"

namespace nemis::registry {
namespace {

using namespace internal;

TEST(FieldParsingTest, CodesAreAcceptedAsCodeOrName) {
  EXPECT_EQ(ParseCoded("01", codes::EthnicityCodes()), "01");
  EXPECT_EQ(ParseCoded("汉族", codes::EthnicityCodes()), "01");
  EXPECT_EQ(ParseCoded("壮族", codes::EthnicityCodes()), "08");
  EXPECT_FALSE(ParseCoded("汉", codes::EthnicityCodes()));
  EXPECT_EQ(ParseCoded("男", codes::GenderCodes()), "1");
}

TEST(FieldParsingTest, FlagsDatesAndMonthsInTheFormsSpreadsheetsProduce) {
  EXPECT_EQ(ParseFlag("是"), 1);
  EXPECT_EQ(ParseFlag("0"), 0);
  EXPECT_FALSE(ParseFlag("2"));
  EXPECT_EQ(ParseDateText("2019/9/1")->ToIso(), "2019-09-01");
  EXPECT_EQ(ParseDateText("20190901")->ToIso(), "2019-09-01");
  EXPECT_FALSE(ParseDateText("2019-02-30"));
  EXPECT_FALSE(ParseDateText("19-09-01"));
  EXPECT_EQ(ParseYearMonth("2025-09"), "2025-09");
  EXPECT_EQ(ParseYearMonth("202509"), "2025-09");
  EXPECT_EQ(ParseYearMonth("2025/9"), "2025-09");
  EXPECT_EQ(ParseYearMonth("2025-09-01"), "2025-09");
  EXPECT_FALSE(ParseYearMonth("2025-13"));
  EXPECT_FALSE(ParseYearMonth("2025"));
}

TEST(FieldParsingTest, PhoneNumbers) {
  EXPECT_TRUE(IsPhoneNumber("13812345678"));
  EXPECT_TRUE(IsPhoneNumber("020-87654321"));
  EXPECT_TRUE(IsPhoneNumber("07558765432"));
  EXPECT_FALSE(IsPhoneNumber("12812345678"));
  EXPECT_FALSE(IsPhoneNumber("1381234567"));
  EXPECT_FALSE(IsPhoneNumber("020-123"));
}

TEST(CursorTest, RoundTripsAndRejectsForgeries) {
  std::string c = EncodeCursor({"李晓雨", "42"});
  auto parts = DecodeCursor(c, 2);
  ASSERT_TRUE(parts);
  EXPECT_EQ((*parts)[0], "李晓雨");
  EXPECT_EQ(CursorInt((*parts)[1]), 42);
  EXPECT_FALSE(DecodeCursor(c, 3));
  EXPECT_FALSE(DecodeCursor("zz", 1));
  EXPECT_FALSE(DecodeCursor("abc", 1));
  EXPECT_FALSE(CursorInt("4x"));
}

}  // namespace
}  // namespace nemis::registry
