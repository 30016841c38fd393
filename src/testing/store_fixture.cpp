#include "testing/store_fixture.hpp"

#include <exception>

#include "db/change_log.hpp"
#include "testing/pg_cluster.hpp"

namespace nemis::testing {

db::Options StoreTest::StoreOptions() const {
  db::Options options;
  // Small caches: many stores are open one after another in a test process.
  options.sqlite_cache_mb = 16;
  options.sqlite_mmap_mb = 64;
  options.readers = 3;
  options.pool_size = 4;
  return options;
}

void StoreTest::SetUp() {
  if (backend() == db::Backend::kSqlite) {
    dir_ = std::make_unique<TempDir>();
    url_ = "sqlite:" + dir_->File("store.db");
  } else {
    try {
      pg_database_ = PgCluster::UniqueName();
      url_ = PgCluster::CreateDatabase(pg_database_);
    } catch (const std::exception& e) {
      pg_database_.clear();
      GTEST_FAIL() << e.what();
    }
  }
  auto opened = db::Database::Open(url_, StoreOptions());
  ASSERT_TRUE(opened.ok()) << "cannot open the test store: " << opened.error().message;
  db_ = std::move(opened).value();
}

void StoreTest::SealChangeLog() {
  for (;;) {
    auto sealed = db::SealChanges(db());
    ASSERT_TRUE(sealed.ok()) << sealed.error().message;
    if (*sealed == 0) return;
  }
}

void StoreTest::TearDown() {
  db_.reset();
  if (!pg_database_.empty()) {
    try {
      PgCluster::DropDatabase(pg_database_);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  dir_.reset();
}

std::string BackendName(const ::testing::TestParamInfo<db::Backend>& info) {
  return info.param == db::Backend::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace nemis::testing
