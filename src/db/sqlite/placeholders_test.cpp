#include "db/sqlite/placeholders.hpp"

#include <gtest/gtest.h>

namespace nemis::db::sqlite {
namespace {

TEST(TranslatePlaceholdersTest, NumberedPlaceholdersBecomeQuestionMarks) {
  EXPECT_EQ(TranslatePlaceholders("SELECT * FROM t WHERE a = $2 AND b = $1 OR c = $12"),
            "SELECT * FROM t WHERE a = ?2 AND b = ?1 OR c = ?12");
}

TEST(TranslatePlaceholdersTest, LiteralsIdentifiersAndCommentsAreUntouched) {
  EXPECT_EQ(
      TranslatePlaceholders("SELECT '$1', 'it''s $2', \"col$3\", $4 -- $5\n, $6 /* $7 */ , $8"),
      "SELECT '$1', 'it''s $2', \"col$3\", ?4 -- $5\n, ?6 /* $7 */ , ?8");
}

TEST(TranslatePlaceholdersTest, DollarWithoutDigitIsKept) {
  EXPECT_EQ(TranslatePlaceholders("SELECT $a, $, $$"), "SELECT $a, $, $$");
}

TEST(TranslatePlaceholdersTest, UnterminatedLiteralDoesNotOverrun) {
  EXPECT_EQ(TranslatePlaceholders("SELECT 'abc $1"), "SELECT 'abc $1");
  EXPECT_EQ(TranslatePlaceholders("SELECT $1 /* open"), "SELECT ?1 /* open");
  EXPECT_EQ(TranslatePlaceholders("$"), "$");
}

}  // namespace
}  // namespace nemis::db::sqlite
