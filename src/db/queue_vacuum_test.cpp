// The sealer's vacuum of the queue tables: it runs outside a transaction on PostgreSQL
// (VACUUM refuses to run inside one) and does nothing on SQLite.
#include "db/queue_vacuum.hpp"

#include <gtest/gtest.h>

#include "db/change_log.hpp"
#include "db/migrations/migrate.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

class QueueVacuumTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(Migrate(db()));
  }
};

TEST_P(QueueVacuumTest, SealedRowsAreVacuumedAway) {
  const int64_t ids[] = {1, 2, 3};
  ASSERT_OK(db().WithWriter([&](Connection& c) {
    return AppendChanges(c, "student", ChangeOp::kInsert, ids, "2026-12-05T08:00:00.000Z");
  }));
  auto sealed = SealChanges(db());
  ASSERT_OK(sealed);
  ASSERT_OK(VacuumQueues(db()));
  if (backend() == Backend::kSqlite) return;
  EXPECT_EQ(*sealed, 3);
  auto vacuumed = db().Read<int64_t>([](Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(ResultSet rs,
                           c.Query("SELECT vacuum_count FROM pg_stat_user_tables "
                                   "WHERE relname IN ('change_pending', 'audit_pending') "
                                   "ORDER BY vacuum_count LIMIT 1"));
    return rs.rows.at(0).Int(0);
  });
  ASSERT_OK(vacuumed);
  EXPECT_GE(*vacuumed, 1) << "both queue tables vacuumed";
}

NEMIS_STORE_TEST_SUITE(QueueVacuumTest);

}  // namespace
}  // namespace nemis::db
