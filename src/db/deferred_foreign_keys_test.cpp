// Dropping and restoring a table's foreign keys around a load, on both back ends.
#include "db/deferred_foreign_keys.hpp"

#include <gtest/gtest.h>

#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kSchema =
    "CREATE TABLE school (id INTEGER PRIMARY KEY);"
    "CREATE TABLE pupil (id INTEGER PRIMARY KEY, school_id INTEGER NOT NULL REFERENCES school (id));"
    "INSERT INTO school VALUES (7);"
    "INSERT INTO pupil VALUES (1, 7)";
constexpr std::string_view kInsert = "INSERT INTO pupil VALUES ($1, $2)";

class DeferredForeignKeysTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db().WithWriter([](Connection& c) { return c.ExecScript(kSchema); }));
  }
  // Inserts pupils of the given schools with the foreign keys dropped, then restores them.
  Status Load(const std::vector<int64_t>& schools, std::vector<std::string>* dropped = nullptr) {
    return db().WithWriter([&](Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(auto deferred, DeferredForeignKeys::Drop(c, "pupil"));
      if (dropped) *dropped = deferred.names();
      for (size_t i = 0; i < schools.size(); ++i)
        NEMIS_TRY(c.Query(kInsert, {static_cast<int64_t>(10 + i), schools[i]}));
      return deferred.Restore(c);
    });
  }
  Status InsertOrphan() {
    return db().WithWriter([](Connection& c) -> Status {
      NEMIS_TRY(c.Query(kInsert, {int64_t{99}, int64_t{404}}));
      return {};
    });
  }
};

TEST_P(DeferredForeignKeysTest, DropsThemOnPostgresAndRestoresTheSameCheck) {
  std::vector<std::string> dropped;
  ASSERT_OK(Load({7, 7, 7}, &dropped));
  // SQLite's foreign keys belong to the table: nothing to drop, still checked per row.
  EXPECT_EQ(dropped, backend() == Backend::kPostgres
                         ? std::vector<std::string>{"pupil_school_id_fkey"}
                         : std::vector<std::string>{});
  Status orphan = InsertOrphan();
  ASSERT_THAT(orphan, nemis::testing::IsErrorCode("constraint_violation"));
}

TEST_P(DeferredForeignKeysTest, ARowReferencingNothingFailsTheLoadAndLeavesTheConstraint) {
  Status s = Load({7, 404});
  ASSERT_THAT(s, nemis::testing::IsErrorCode("constraint_violation"));
  EXPECT_EQ(s.error().code, "constraint_violation") << s.error().message;
  auto pupils = db().Read<int64_t>([](Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT COUNT(*) FROM pupil"));
    return rs.rows.at(0).Int(0);
  });
  ASSERT_OK(pupils);
  EXPECT_EQ(*pupils, 1);
  EXPECT_THAT(InsertOrphan(), nemis::testing::IsErrorCode("constraint_violation"));
}

}  // namespace
NEMIS_STORE_TEST_SUITE(DeferredForeignKeysTest);
}  // namespace nemis::db
