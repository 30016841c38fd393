// A WriteAttachment commits inside exactly the writes it is given to, on both back ends
// (on SQLite the group-commit writer thread runs it): a failing attachment takes its write
// with it; writes it is not given to, on this thread or another, never carry it.
#include "db/write_attachment.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "db/database.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kCreate = "CREATE TABLE writes (what TEXT NOT NULL)";
constexpr std::string_view kInsert = "INSERT INTO writes (what) VALUES ($1)";

class WriteAttachmentTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(db().WithWriter([](Connection& c) { return c.ExecScript(kCreate); }).ok());
  }
  Status Insert(std::string what, WriteAttachment* attachment = nullptr) {
    return db().WithWriter(Note(std::move(what)), attachment);
  }
  std::vector<std::string> Rows() {
    auto rs = db().Read<ResultSet>(
        [](Connection& c) { return c.Query("SELECT what FROM writes ORDER BY what"); });
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

TEST_P(WriteAttachmentTest, CommitsInsideTheWriteItIsGivenTo) {
  WriteAttachment entry(Note("entry"));
  ASSERT_TRUE(Insert("a").ok());
  EXPECT_FALSE(entry.committed()) << "a write it was not given to does not carry it";
  ASSERT_TRUE(Insert("b", &entry).ok());
  EXPECT_EQ(entry.committed_writes(), 1);
  EXPECT_EQ(Rows(), (std::vector<std::string>{"a", "b", "entry"}));
}

TEST_P(WriteAttachmentTest, AFailingAttachmentTakesTheWriteWithIt) {
  WriteAttachment entry(
      [](Connection&) -> Status { return Error::Unavailable("审计日志写入失败"); });
  Status s = Insert("a", &entry);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "store_unavailable");
  EXPECT_FALSE(entry.committed());
  EXPECT_TRUE(Rows().empty());
}

TEST_P(WriteAttachmentTest, ARolledBackWriteRollsItBack) {
  WriteAttachment entry(Note("entry"));
  Status failed = db().WithWriter(
      [](Connection& c) -> Status {
        NEMIS_TRY(c.Query(kInsert, {"lost"}));
        return Error::Invalid({{"what", "refused", "refused by the test"}});
      },
      &entry);
  ASSERT_FALSE(failed.ok());
  EXPECT_FALSE(entry.committed());
  EXPECT_TRUE(Rows().empty());
}

// A request that writes twice: each write given the attachment carries it in its own
// transaction, so neither can be kept without it; a write made meanwhile on another
// thread (another request) is not touched.
TEST_P(WriteAttachmentTest, TwoWritesGivenItEachCarryIt) {
  WriteAttachment entry(Note("entry"));
  ASSERT_TRUE(Insert("first", &entry).ok());
  std::thread other([&] { EXPECT_TRUE(Insert("other").ok()); });
  other.join();
  ASSERT_TRUE(Insert("second", &entry).ok());
  EXPECT_EQ(entry.committed_writes(), 2);
  EXPECT_EQ(Rows(), (std::vector<std::string>{"entry", "entry", "first", "other", "second"}));
}

TEST_P(WriteAttachmentTest, TheSecondOfTwoWritesFailsAloneWhenItsAttachmentFails) {
  int runs = 0;
  WriteAttachment entry([&runs](Connection& c) -> Status {
    if (++runs == 2) return Error::Unavailable("审计日志写入失败");
    NEMIS_TRY(c.Query(kInsert, {"entry"}));
    return {};
  });
  ASSERT_TRUE(Insert("first", &entry).ok());
  EXPECT_FALSE(Insert("second", &entry).ok());
  EXPECT_EQ(entry.committed_writes(), 1);
  EXPECT_EQ(Rows(), (std::vector<std::string>{"entry", "first"}));
}

TEST_P(WriteAttachmentTest, WriteReturningAValueCarriesIt) {
  WriteAttachment entry(Note("entry"));
  auto n = db().Write<int>(
      [](Connection& c) -> Result<int> {
        NEMIS_TRY(c.Query(kInsert, {"a"}));
        return 7;
      },
      &entry);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 7);
  EXPECT_TRUE(entry.committed());
  EXPECT_EQ(Rows(), (std::vector<std::string>{"a", "entry"}));
}

}  // namespace
NEMIS_STORE_TEST_SUITE(WriteAttachmentTest);
}  // namespace nemis::db
