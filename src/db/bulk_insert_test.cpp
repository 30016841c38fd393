// BulkInserter (COPY on PostgreSQL, a reused INSERT on SQLite): values arrive
// unchanged, large loads complete, and a bad row fails the whole load.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/database.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kCreate =
    "CREATE TABLE b (id INTEGER PRIMARY KEY, name TEXT, score DOUBLE PRECISION, note TEXT)";
constexpr std::string_view kCount = "SELECT count(*), sum(id) FROM b";
const std::vector<std::string> kColumns = {"id", "name", "score", "note"};

class BulkInsertTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK(db().WithWriter([](Connection& c) { return c.ExecScript(kCreate); }));
  }
  // Inserts ids [first, last] (and then `extra` again, if set) in one write.
  Status Load(int first, int last, std::optional<int> extra = std::nullopt) {
    return db().WithWriter([&](Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(auto inserter, c.BeginBulkInsert("b", kColumns));
      for (int i = first; i <= last; ++i) {
        std::string name = "学生" + std::to_string(i);
        NEMIS_TRY(inserter->AddRow(std::vector<Param>{i, name, i * 0.5, nullptr}));
      }
      if (extra) NEMIS_TRY(inserter->AddRow(std::vector<Param>{*extra, "dup", 0.0, nullptr}));
      return inserter->Finish();
    });
  }
  std::pair<int64_t, int64_t> CountAndSum() {
    auto r = db().Read<std::pair<int64_t, int64_t>>(
        [](Connection& c) -> Result<std::pair<int64_t, int64_t>> {
          NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kCount));
          return std::pair{rs.rows.at(0).Int(0), rs.rows.at(0).Int(1)};
        });
    EXPECT_OK(r);
    return r.ok() ? *r : std::pair<int64_t, int64_t>{-1, -1};
  }
};

TEST_P(BulkInsertTest, HundredThousandRows) {
  constexpr int kRows = 100'000;
  Status s = Load(1, kRows);
  ASSERT_OK(s);
  auto [count, sum] = CountAndSum();
  EXPECT_EQ(count, kRows);
  EXPECT_EQ(sum, int64_t{kRows} * (kRows + 1) / 2);
}

TEST_P(BulkInsertTest, AwkwardValuesArriveUnchanged) {
  const std::vector<std::string> texts = {"𠮷野家",      "tab\there", "new\nline",    "cr\rhere",
                                          "back\\slash", "\\N",       "\\.",          "",
                                          "end\\",       "\t\n\r\\",  "a\\tb literal"};
  // Enough rows that SQLite writes some in multi-row statements and some one by one.
  constexpr int kCopies = 10;
  Status s = db().WithWriter([&](Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto inserter, c.BeginBulkInsert("b", kColumns));
    for (int copy = 0; copy < kCopies; ++copy) {
      for (size_t i = 0; i < texts.size(); ++i) {
        int64_t id = copy * 100 + static_cast<int64_t>(i);
        NEMIS_TRY(inserter->AddRow(std::vector<Param>{id, texts[i], -0.1, texts[i]}));
      }
      NEMIS_TRY(inserter->AddRow(std::vector<Param>{copy * 100 + 99, nullptr, nullptr, nullptr}));
    }
    return inserter->Finish();
  });
  ASSERT_OK(s);
  auto rs = db().Read<ResultSet>(
      [](Connection& c) { return c.Query("SELECT id, name, score, note FROM b ORDER BY id"); });
  ASSERT_OK(rs);
  ASSERT_EQ(rs->size(), kCopies * (texts.size() + 1));
  for (const Row& row : rs->rows) {
    size_t i = static_cast<size_t>(row.Int(0) % 100);
    if (i == 99) {
      EXPECT_TRUE(row.IsNull(1) && row.IsNull(2) && row.IsNull(3)) << row.Int(0);
      continue;
    }
    EXPECT_EQ(row.at(1), Value(texts[i])) << row.Int(0);
    EXPECT_EQ(row.at(2), Value(-0.1)) << row.Int(0);
    EXPECT_EQ(row.at(3), Value(texts[i])) << row.Int(0);
  }
}

TEST_P(BulkInsertTest, DuplicateKeyFailsTheWholeLoad) {
  ASSERT_OK(Load(1, 10));
  Status s = Load(11, 5000, 2500);
  ASSERT_THAT(s, nemis::testing::IsErrorCode("unique_violation"));
  EXPECT_EQ(s.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(s.error().code, kUniqueViolation);
  Status early = Load(5, 300);  // the duplicate is in the first rows, not the last
  ASSERT_THAT(early, nemis::testing::IsErrorCode(kUniqueViolation));
  EXPECT_EQ(CountAndSum().first, 10);  // nothing of the failed loads is kept
}

TEST_P(BulkInsertTest, WrongNumberOfValuesIsAnError) {
  Status s = db().WithWriter([](Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto inserter, c.BeginBulkInsert("b", kColumns));
    NEMIS_TRY(inserter->AddRow(std::vector<Param>{1, "x"}));
    return inserter->Finish();
  });
  ASSERT_THAT(s, nemis::testing::IsErrorCode("internal"));
  EXPECT_EQ(s.error().kind, ErrorKind::kInternal);
  EXPECT_EQ(CountAndSum().first, 0);
}

TEST_P(BulkInsertTest, RawWriterLoadCommitsOnFinish) {
  Status s = db().WithRawWriter([](Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto inserter, c.BeginBulkInsert("b", kColumns));
    for (int i = 1; i <= 1000; ++i)
      NEMIS_TRY(inserter->AddRow(std::vector<Param>{i, "r", 1.0, "n"}));
    return inserter->Finish();
  });
  ASSERT_OK(s);
  EXPECT_EQ(CountAndSum().first, 1000);
}

TEST_P(BulkInsertTest, AbandonedLoadKeepsNothing) {
  Status s = db().WithRawWriter([](Connection& c) -> Status {
    NEMIS_ASSIGN_OR_RETURN(auto inserter, c.BeginBulkInsert("b", kColumns));
    for (int i = 1; i <= 10; ++i) NEMIS_TRY(inserter->AddRow(std::vector<Param>{i, "r", 1.0, "n"}));
    return Error::Invalid({}, "stopped before Finish");
  });
  EXPECT_THAT(s, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(CountAndSum().first, 0);
  EXPECT_OK(Load(1, 3));  // the connection is usable afterwards
  EXPECT_EQ(CountAndSum().first, 3);
}

NEMIS_STORE_TEST_SUITE(BulkInsertTest);

}  // namespace
}  // namespace nemis::db
