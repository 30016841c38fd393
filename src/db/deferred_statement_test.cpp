// Connection::Defer on both stores: a deferred statement runs in its transaction's order,
// commits with it, and its failure fails the transaction whole, wherever it surfaces
// (at once on SQLite, with the next round trip on PostgreSQL).
#include <gtest/gtest.h>

#include <string>

#include "db/database.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kCreateItems =
    "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL);"
    "CREATE UNIQUE INDEX items_label_key ON items (label)";
constexpr std::string_view kInsertItem = "INSERT INTO items (id, label) VALUES ($1, $2)";
constexpr std::string_view kCountItems = "SELECT count(*) FROM items";

class DeferredStatementTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db().WithWriter([](Connection& c) { return c.ExecScript(kCreateItems); }));
  }
  int64_t CountItems() {
    auto n = db().Read<int64_t>([](Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kCountItems));
      return rs.rows.at(0).Int(0);
    });
    EXPECT_OK(n);
    return n.ok() ? *n : -1;
  }
};

TEST_P(DeferredStatementTest, RunsBeforeTheNextQueryAndCommitsWithTheWrite) {
  auto seen = db().Write<int64_t>([](Connection& c) -> Result<int64_t> {
    NEMIS_TRY(c.Defer(kInsertItem, {1, "first"}));
    NEMIS_TRY(c.Defer(kInsertItem, {2, "second"}));
    NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kCountItems));
    return rs.rows.at(0).Int(0);
  });
  ASSERT_OK(seen);
  EXPECT_EQ(*seen, 2);  // sent ahead of the query that followed them
  ASSERT_OK(db().WithWriter([](Connection& c) { return c.Defer(kInsertItem, {3, "third"}); }));
  EXPECT_EQ(CountItems(), 3);  // a write of deferred statements only is committed too
}

TEST_P(DeferredStatementTest, ManyAreAllApplied) {
  constexpr int kItems = 300;  // beyond what PostgreSQL holds before sending
  ASSERT_OK(db().WithWriter([](Connection& c) -> Status {
    for (int i = 1; i <= kItems; ++i)
      NEMIS_TRY(c.Defer(kInsertItem, {i, "item " + std::to_string(i)}));
    return {};
  }));
  EXPECT_EQ(CountItems(), kItems);
}

TEST_P(DeferredStatementTest, AFailureFailsTheWholeWriteAndLeavesTheConnectionUsable) {
  ASSERT_OK(db().WithWriter([](Connection& c) { return c.Defer(kInsertItem, {1, "taken"}); }));
  Status failed = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsertItem, {2, "kept only if the write commits"}));
    NEMIS_TRY(c.Defer(kInsertItem, {3, "taken"}));  // the unique label
    return c.Defer(kInsertItem, {4, "after the failure"});
  });
  ASSERT_THAT(failed, nemis::testing::IsErrorCode(kUniqueViolation));
  EXPECT_EQ(failed.error().kind, ErrorKind::kConflict);
  EXPECT_NE(failed.error().message.find("label"), std::string::npos) << failed.error().message;
  EXPECT_EQ(CountItems(), 1);
  ASSERT_OK(db().WithWriter([](Connection& c) { return c.Defer(kInsertItem, {5, "next"}); }));
  EXPECT_EQ(CountItems(), 2);
}

TEST_P(DeferredStatementTest, AWrongParameterCountFailsTheWrite) {
  Status failed = db().WithWriter([](Connection& c) { return c.Defer(kInsertItem, {1}); });
  ASSERT_THAT(failed, nemis::testing::IsErrorCode("internal"));
  EXPECT_EQ(CountItems(), 0);
}

TEST_P(DeferredStatementTest, WorkThatFailsAfterDeferringLeavesNothing) {
  Status failed = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Defer(kInsertItem, {1, "never sent"}));
    return Error::Invalid({}, "the caller changed its mind");
  });
  EXPECT_EQ(failed.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(CountItems(), 0);
  // The next transaction on the same connection starts clean.
  ASSERT_OK(db().WithWriter([](Connection& c) { return c.Defer(kInsertItem, {2, "sent"}); }));
  EXPECT_EQ(CountItems(), 1);
}

TEST_P(DeferredStatementTest, RawWorkSendsWhatItDeferred) {
  ASSERT_OK(db().WithRawWriter([](Connection& c) { return c.Defer(kInsertItem, {1, "raw"}); }));
  EXPECT_EQ(CountItems(), 1);
}

TEST_P(DeferredStatementTest, AnEmptyReadCommits) {
  ASSERT_OK(db().WithReader([](Connection&) -> Status { return {}; }));
  EXPECT_EQ(CountItems(), 0);
}

NEMIS_STORE_TEST_SUITE(DeferredStatementTest);

}  // namespace
}  // namespace nemis::db
