// Dropping and rebuilding a table's indexes around a load, on both back ends.
#include "db/deferred_indexes.hpp"

#include <gtest/gtest.h>

#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kSchema =
    "CREATE TABLE pupil (id INTEGER PRIMARY KEY, doc TEXT, school INTEGER NOT NULL, name TEXT NOT NULL);"
    "CREATE UNIQUE INDEX pupil_doc ON pupil (doc) WHERE doc <> '';"
    "CREATE INDEX pupil_school ON pupil (school, name);"
    "INSERT INTO pupil VALUES (1, '440103201501010011', 7, '陈一'), (2, '', 7, '陈二')";
constexpr std::string_view kInsert = "INSERT INTO pupil VALUES ($1, $2, $3, $4)";

class DeferredIndexesTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db().WithWriter([](Connection& c) { return c.ExecScript(kSchema); }));
  }
  // The index names the store reports for the table, whatever the back end.
  std::string_view IndexNamesSql() const {
    return backend() == Backend::kSqlite
               ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pupil' "
                 "AND sql IS NOT NULL ORDER BY name"
               : "SELECT indexname FROM pg_indexes WHERE tablename = 'pupil' "
                 "AND indexname <> 'pupil_pkey' ORDER BY indexname";
  }
  std::vector<std::string> IndexNames() {
    std::string_view sql = IndexNamesSql();
    auto names =
        db().Read<std::vector<std::string>>([&](Connection& c) -> Result<std::vector<std::string>> {
          NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
          std::vector<std::string> out;
          for (const auto& r : rs.rows) out.push_back(r.Text(0));
          return out;
        });
    EXPECT_OK(names);
    return names.ok() ? *names : std::vector<std::string>{};
  }
  int64_t Pupils() {
    auto n = db().Read<int64_t>([](Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT count(*) FROM pupil"));
      return rs.rows.at(0).Int(0);
    });
    return n.ok() ? *n : -1;
  }
  // Drops the indexes, inserts `docs` as new pupils, rebuilds: one transaction.
  Status Load(const std::vector<std::string>& docs) {
    return db().WithWriter([&](Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(auto deferred, DeferredIndexes::Drop(c, "pupil"));
      EXPECT_EQ(deferred.names(), (std::vector<std::string>{"pupil_doc", "pupil_school"}));
      for (size_t i = 0; i < docs.size(); ++i)
        NEMIS_TRY(
            c.Query(kInsert, {static_cast<int64_t>(10 + i), docs[i], 8, "李" + std::to_string(i)}));
      return deferred.Rebuild(c);
    });
  }
};

TEST_P(DeferredIndexesTest, RebuiltIndexesAreTheSameAndStillEnforceUniqueness) {
  ASSERT_OK(Load({"440103201501010022", "", "", "440103201501010033"}));
  EXPECT_EQ(Pupils(), 6);
  EXPECT_EQ(IndexNames(), (std::vector<std::string>{"pupil_doc", "pupil_school"}));
  Status dup = db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsert, {int64_t{99}, "440103201501010022", 9, "王五"}));
    return {};
  });
  ASSERT_THAT(dup, nemis::testing::IsErrorCode(kUniqueViolation));
  // The partial condition survived the rebuild: empty documents may repeat.
  EXPECT_OK(db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Query(kInsert, {int64_t{100}, "", 9, "王六"}));
    return {};
  }));
}

TEST_P(DeferredIndexesTest, ALoadRepeatingAKeyFailsAtRebuildAndLeavesTableAndIndexesAsTheyWere) {
  Status s = Load({"440103201501010044", "440103201501010011"});
  ASSERT_THAT(s, nemis::testing::IsErrorCode("unique_violation"));
  EXPECT_EQ(s.error().code, kUniqueViolation) << s.error().message;
  EXPECT_EQ(Pupils(), 2);
  EXPECT_EQ(IndexNames(), (std::vector<std::string>{"pupil_doc", "pupil_school"}));
}

TEST_P(DeferredIndexesTest, AFailedLoadRollsTheDropBack) {
  Status s = db().WithWriter([&](Connection& c) -> Status {
    NEMIS_TRY(DeferredIndexes::Drop(c, "pupil"));
    NEMIS_TRY(c.Query(kInsert, {int64_t{10}, "440103201501010055", 8, "赵七"}));
    return Error::Unavailable("interrupted");
  });
  EXPECT_THAT(s, nemis::testing::IsErrorCode("store_unavailable"));
  EXPECT_EQ(Pupils(), 2);
  EXPECT_EQ(IndexNames(), (std::vector<std::string>{"pupil_doc", "pupil_school"}));
}

TEST_P(DeferredIndexesTest, KeptIndexesStayInPlaceDuringTheLoad) {
  auto during =
      db().Write<std::vector<std::string>>([&](Connection& c) -> Result<std::vector<std::string>> {
        NEMIS_ASSIGN_OR_RETURN(auto deferred, DeferredIndexes::Drop(c, "pupil", {"pupil_doc"}));
        EXPECT_EQ(deferred.names(), std::vector<std::string>{"pupil_school"});
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(IndexNamesSql()));
        NEMIS_TRY(deferred.Rebuild(c));
        std::vector<std::string> names;
        for (const auto& r : rs.rows) names.push_back(r.Text(0));
        return names;
      });
  ASSERT_OK(during);
  EXPECT_EQ(*during, std::vector<std::string>{"pupil_doc"});
  EXPECT_EQ(IndexNames(), (std::vector<std::string>{"pupil_doc", "pupil_school"}));
}

TEST_P(DeferredIndexesTest, ATableWithoutSecondaryIndexesHasNothingToDrop) {
  auto none =
      db().Write<std::vector<std::string>>([](Connection& c) -> Result<std::vector<std::string>> {
        NEMIS_TRY(c.ExecScript("CREATE TABLE bare (id INTEGER PRIMARY KEY, v TEXT)"));
        NEMIS_ASSIGN_OR_RETURN(auto deferred, DeferredIndexes::Drop(c, "bare"));
        NEMIS_TRY(deferred.Rebuild(c));
        return deferred.names();
      });
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
NEMIS_STORE_TEST_SUITE(DeferredIndexesTest);
}  // namespace nemis::db
