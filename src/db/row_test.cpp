#include <gtest/gtest.h>

#include <limits>

#include "db/database.hpp"

namespace nemis::db {
namespace {

Row MakeRow() {
  return Row({Value{std::monostate{}}, Value{int64_t{42}}, Value{2.5}, Value{std::string("17")},
              Value{std::string("3.75")}, Value{std::string("学籍")},
              Value{std::numeric_limits<int64_t>::min()}, Value{0.1}});
}

TEST(RowTest, IntConvertsEveryType) {
  Row row = MakeRow();
  EXPECT_EQ(row.Int(0), 0);
  EXPECT_EQ(row.Int(1), 42);
  EXPECT_EQ(row.Int(2), 2);
  EXPECT_EQ(row.Int(3), 17);
  EXPECT_EQ(row.Int(4), 3);  // text that is not a whole number: its integral part
  EXPECT_EQ(row.Int(5), 0);
  EXPECT_EQ(row.Int(6), std::numeric_limits<int64_t>::min());
}

TEST(RowTest, SameValueOnlyForTheSameKindAndValue) {
  Row row = MakeRow();
  EXPECT_TRUE(SameValue(Param(), row.at(0)));
  EXPECT_FALSE(SameValue(Param(int64_t{0}), row.at(0)));  // 0 is not NULL
  EXPECT_FALSE(SameValue(Param(""), row.at(0)));          // nor is empty text
  EXPECT_TRUE(SameValue(Param(int64_t{42}), row.at(1)));
  EXPECT_FALSE(SameValue(Param(int64_t{43}), row.at(1)));
  EXPECT_FALSE(SameValue(Param("42"), row.at(1)));  // text against an integer: written
  EXPECT_FALSE(SameValue(Param(), row.at(1)));
  EXPECT_TRUE(SameValue(Param(2.5), row.at(2)));
  EXPECT_FALSE(SameValue(Param(int64_t{2}), row.at(2)));
  EXPECT_TRUE(SameValue(Param("17"), row.at(3)));
  EXPECT_FALSE(SameValue(Param(int64_t{17}), row.at(3)));
  EXPECT_TRUE(SameValue(Param("学籍"), row.at(5)));
  EXPECT_FALSE(SameValue(Param("学"), row.at(5)));
}

TEST(RowTest, RealConvertsEveryType) {
  Row row = MakeRow();
  EXPECT_EQ(row.Real(0), 0.0);
  EXPECT_EQ(row.Real(1), 42.0);
  EXPECT_EQ(row.Real(2), 2.5);
  EXPECT_EQ(row.Real(4), 3.75);
}

TEST(RowTest, TextFormatsNumbersShortestRoundTrip) {
  Row row = MakeRow();
  EXPECT_EQ(row.Text(0), "");
  EXPECT_EQ(row.Text(1), "42");
  EXPECT_EQ(row.Text(2), "2.5");
  EXPECT_EQ(row.Text(5), "学籍");
  EXPECT_EQ(row.Text(6), "-9223372036854775808");
  EXPECT_EQ(row.Text(7), "0.1");
}

TEST(RowTest, OptionalsAreEmptyOnlyForNull) {
  Row row = MakeRow();
  EXPECT_FALSE(row.OptText(0).has_value());
  EXPECT_FALSE(row.OptInt(0).has_value());
  EXPECT_EQ(row.OptText(1), "42");
  EXPECT_EQ(row.OptInt(3), 17);
  Row empty_text({Value{std::string()}});
  EXPECT_EQ(empty_text.OptText(0), "");  // empty text is not NULL
  EXPECT_TRUE(row.IsNull(0));
  EXPECT_FALSE(empty_text.IsNull(0));
}

TEST(RowTest, OutOfRangeColumnThrows) {
  Row row = MakeRow();
  EXPECT_THROW(row.Int(8), std::out_of_range);
}

}  // namespace
}  // namespace nemis::db
