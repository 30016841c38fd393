// Fragments number their own placeholders; the builder renumbers them in order.
#include "db/sql_builder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace nemis::db {
namespace {

TEST(SqlBuilderTest, RenumbersEachFragmentsPlaceholdersAfterThoseBefore) {
  SqlBuilder sql("SELECT id FROM student s WHERE s.school_id = $1", {int64_t{7}});
  sql.Add(" AND s.grade = $1", {3});
  sql.Add(" AND (s.grade, s.class_no, s.id) > ($1, $2, $3)", {3, "02", int64_t{99}});
  sql.Add(" ORDER BY s.id");
  EXPECT_EQ(
      sql.sql(),
      "SELECT id FROM student s WHERE s.school_id = $1 AND s.grade = $2 AND (s.grade, s.class_no, s.id) > "
      "($3, $4, $5) ORDER BY s.id");
  ASSERT_EQ(sql.params().size(), 5u);
  EXPECT_EQ(std::get<int64_t>(sql.params()[4].get()), 99);
  EXPECT_EQ(std::get<std::string_view>(sql.params()[3].get()), "02");
}

TEST(SqlBuilderTest, AParameterUsedTwiceAndTenOrMore) {
  SqlBuilder sql("SELECT 1 WHERE a >= $1 AND b < $2 AND c = $1", {"x", "y"});
  std::vector<Param> many(11, Param(1));
  sql.Add(" AND d IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", std::span<const Param>(many));
  EXPECT_EQ(
      sql.sql(),
      "SELECT 1 WHERE a >= $1 AND b < $2 AND c = $1 AND d IN ($3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "$12, $13)");
  EXPECT_EQ(sql.params().size(), 13u);
}

TEST(SqlBuilderTest, DollarSignsThatAreNoPlaceholdersStayAsTheyAre) {
  SqlBuilder sql("SELECT '$' || name, $$x$$ FROM t WHERE a = $1", {1});
  EXPECT_EQ(sql.sql(), "SELECT '$' || name, $$x$$ FROM t WHERE a = $1");
}

TEST(SqlBuilderTest, APlaceholderWithoutParameterOrAParameterWithoutPlaceholderIsABug) {
  SqlBuilder sql;
  EXPECT_THROW(sql.Add(" AND a = $2", {1, 2, 3}), std::logic_error);
  EXPECT_THROW(sql.Add(" AND a = $2", {1}), std::logic_error);
  EXPECT_THROW(sql.Add(" AND a = $0", {1}), std::logic_error);
  EXPECT_THROW(sql.Add(" AND a = 1", {1}), std::logic_error);
}

}  // namespace
}  // namespace nemis::db
