#include "testing/pg_cluster.hpp"

#include <gtest/gtest.h>

#include "db/database.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::testing {
namespace {

Result<std::string> CurrentDatabase(const std::string& url) {
  auto db = db::Database::Open(url, db::Options{});
  if (!db.ok()) return std::move(db).error();
  return (*db)->Read<std::string>([](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(db::ResultSet rs, c.Query("SELECT current_database()"));
    return rs.rows.at(0).Text(0);
  });
}

TEST(PgClusterTest, CreatesUsableDatabasesAndDropsThem) {
  std::string name = PgCluster::UniqueName("cluster_test");
  std::string url = PgCluster::CreateDatabase(name);
  EXPECT_EQ(url, PgCluster::Url(name));
  auto current = CurrentDatabase(url);
  ASSERT_OK(current);
  EXPECT_EQ(*current, name);
  PgCluster::DropDatabase(name);
  EXPECT_THAT(CurrentDatabase(url), nemis::testing::IsErrorCode("store_unavailable"));
}

TEST(PgClusterTest, UniqueNamesDiffer) {
  EXPECT_NE(PgCluster::UniqueName(), PgCluster::UniqueName());
}

}  // namespace
}  // namespace nemis::testing
