#include "test_store.hpp"

#include <stdexcept>

#include "db/database.hpp"
#include "testing/pg_cluster.hpp"

namespace nemis::it {
namespace {

db::Options SmallOptions() {
  db::Options o;
  o.readers = 1;
  o.pool_size = 1;
  o.sqlite_cache_mb = 8;
  o.sqlite_mmap_mb = 0;
  o.busy_timeout_ms = 10000;
  return o;
}

}  // namespace

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

TestStore::TestStore(Backend backend) : backend_(backend) {
  if (backend == Backend::kSqlite) {
    url_ = "sqlite:" + dir_.File("store.db");
  } else {
    pg_database_ = testing::PgCluster::UniqueName("nemis_it");
    url_ = testing::PgCluster::CreateDatabase(pg_database_);
  }
}

TestStore::~TestStore() {
  if (pg_database_.empty()) return;
  try {
    testing::PgCluster::DropDatabase(pg_database_);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cannot drop " << pg_database_ << ": " << e.what();
  }
}

int64_t TestStore::QueryInt(const std::string& sql) const {
  auto db = db::Database::Open(url_, SmallOptions());
  if (!db.ok()) throw std::runtime_error("cannot open " + url_ + ": " + db.error().message);
  auto value = (*db)->Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
    if (rs.rows.empty()) return Error::NotFound("no row");
    return rs.rows[0].Int(0);
  });
  if (!value.ok()) throw std::runtime_error(sql + ": " + value.error().message);
  return *value;
}

int64_t TestStore::CountStudents() const {
  try {
    return QueryInt("SELECT COUNT(*) FROM student");
  } catch (const std::exception&) {
    return -1;
  }
}

void PgAdminExec(const std::string& sql) {
  auto db = db::Database::Open(testing::PgCluster::Url("postgres"), SmallOptions());
  if (!db.ok()) throw std::runtime_error("cannot open the cluster: " + db.error().message);
  Status s = (*db)->WithRawWriter([&](db::Connection& c) { return c.ExecScript(sql); });
  if (!s.ok()) throw std::runtime_error(sql + ": " + s.error().message);
}

}  // namespace nemis::it
