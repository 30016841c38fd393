// A thread's WriteEpilogue commits with its next write, inside the same transaction, on
// both back ends (on SQLite the group-commit writer thread runs it).
#include "db/write_epilogue.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "db/database.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kCreate = "CREATE TABLE writes (what TEXT NOT NULL)";
constexpr std::string_view kInsert = "INSERT INTO writes (what) VALUES ($1)";

class WriteEpilogueTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(db().WithWriter([](Connection& c) { return c.ExecScript(kCreate); }).ok());
  }
  Status Insert(std::string what) {
    return db().WithWriter([what](Connection& c) -> Status {
      NEMIS_TRY(c.Query(kInsert, {what}));
      return {};
    });
  }
  std::vector<std::string> Rows() {
    auto rs = db().Read<ResultSet>([](Connection& c) { return c.Query("SELECT what FROM writes ORDER BY what"); });
    EXPECT_TRUE(rs.ok());
    std::vector<std::string> out;
    if (rs.ok()) {
      for (const auto& row : rs->rows) out.push_back(row.Text(0));
    }
    return out;
  }
  static std::function<Status(Connection&)> Note(std::string what) {
    return [what](Connection& c) -> Status {
      NEMIS_TRY(c.Query(kInsert, {what}));
      return {};
    };
  }
};

TEST_P(WriteEpilogueTest, RunsOnceInTheFirstWriteThatCommits) {
  WriteEpilogue epilogue(Note("entry"));
  EXPECT_FALSE(epilogue.committed());
  ASSERT_TRUE(Insert("a").ok());
  EXPECT_TRUE(epilogue.committed());
  ASSERT_TRUE(Insert("b").ok());
  EXPECT_EQ(Rows(), (std::vector<std::string>{"a", "b", "entry"}));
}

TEST_P(WriteEpilogueTest, AFailingEpilogueTakesTheWriteWithIt) {
  WriteEpilogue epilogue([](Connection&) -> Status { return Error::Unavailable("审计日志写入失败"); });
  Status s = Insert("a");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "store_unavailable");
  EXPECT_FALSE(epilogue.committed());
  EXPECT_TRUE(Rows().empty());
}

TEST_P(WriteEpilogueTest, ARolledBackWriteLeavesItForTheNextOne) {
  WriteEpilogue epilogue(Note("entry"));
  Status failed = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsert, {"lost"}));
    return Error::Invalid({{"what", "refused", "refused by the test"}});
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_FALSE(epilogue.committed());
  ASSERT_TRUE(Insert("a").ok());
  EXPECT_TRUE(epilogue.committed());
  EXPECT_EQ(Rows(), (std::vector<std::string>{"a", "entry"}));
}

TEST_P(WriteEpilogueTest, HiddenWritesAndOtherThreadsDoNotCarryIt) {
  WriteEpilogue epilogue(Note("entry"));
  {
    WriteEpilogue::Hidden hidden;
    ASSERT_TRUE(Insert("own").ok());
  }
  std::thread other([&] { EXPECT_TRUE(Insert("other").ok()); });
  other.join();
  EXPECT_FALSE(epilogue.committed());
  EXPECT_EQ(Rows(), (std::vector<std::string>{"other", "own"}));
}

TEST_P(WriteEpilogueTest, GoneWithItsScope) {
  { WriteEpilogue epilogue(Note("entry")); }
  ASSERT_TRUE(Insert("a").ok());
  EXPECT_EQ(Rows(), (std::vector<std::string>{"a"}));
}

}  // namespace
NEMIS_STORE_TEST_SUITE(WriteEpilogueTest);
}  // namespace nemis::db
