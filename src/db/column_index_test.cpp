// Column positions are found by name at compile time.
#include "db/column_index.hpp"

#include <gtest/gtest.h>

namespace nemis::db {
namespace {

constexpr std::string_view kList = "o.id, o.code,o.level , name";
constexpr std::array<std::string_view, 3> kNames = {"id", "code", "level"};

static_assert(ColumnIndex(kList, "id") == 0);
static_assert(ColumnIndex(kList, "code") == 1);
static_assert(ColumnIndex(kList, "level") == 2, "spaces around a name do not matter");
static_assert(ColumnIndex(kList, "name") == 3, "a name without a table alias");
static_assert(ColumnIndex(kNames, "level") == 2);
static_assert(
    ColumnIndex("SELECT family, client_id, used_at FROM oidc_refresh WHERE token_hash = $1",
                "used_at") == 2,
    "the list of a SELECT statement");

TEST(ColumnIndexTest, FindsEachColumnOfARealSelectList) {
  constexpr std::string_view kEntry =
      "seq, logged_at, account, roles, scope, source_ip, request_id, action, target";
  EXPECT_EQ(ColumnIndex(kEntry, "seq"), 0u);
  EXPECT_EQ(ColumnIndex(kEntry, "request_id"), 6u);
  EXPECT_EQ(ColumnIndex(kEntry, "target"), 8u);
  // ColumnIndex(kEntry, "nothing") would not compile: consteval, and the throw is no constant.
}

}  // namespace
}  // namespace nemis::db
