// The national node past one server (issue 12 §8): its store on PostgreSQL, partitioned by
// province with `nemis national shard` before it first serves, 广东's students kept on a
// second PostgreSQL server (a shard, through postgres_fdw). The province's `nemis serve` and
// the national node's `nemis serve` exchange as they do without shards: every change lands on
// the shard, and what the national node holds of the province is what the province holds.
// The other server (nemis::testing::PgServer) and the test cluster are both started here.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "db/database.hpp"
#include "exchange_nodes.hpp"
#include "exchange_serve.hpp"
#include "exchange_store.hpp"
#include "process.hpp"
#include "testing/pg_cluster.hpp"
#include "testing/pg_server.hpp"

namespace nemis::it {
namespace {

constexpr int kStudents = 3000;
constexpr int kMoreStudents = 200;

class ExchangeShardsTest : public ExchangeNodesTest {
 protected:
  void SetUp() override {
    national_db_ = testing::PgCluster::UniqueName("it_national");
    national_url_ = testing::PgCluster::CreateDatabase(national_db_);
    shard_ = std::make_unique<testing::PgServer>();
    shard_url_ = shard_->CreateDatabase("guangdong");
  }
  void TearDown() override {
    testing::PgCluster::DropDatabase(national_db_);
    shard_.reset();
  }

  std::string NationalUrl() override { return national_url_; }

  int64_t OnShard() { return QueryInt(shard_url_, "SELECT COUNT(*) FROM student_440000"); }

  // Until the national node's digest of the province is the province's, of `students`.
  void ExpectInStep(Serve& national, int64_t students) {
    const std::string want = Digest(Province());
    ASSERT_EQ(DigestCount(want, "students"), students) << want;
    std::string got;
    ASSERT_TRUE(Eventually([&] { return (got = Digest(National())) == want; }))
        << "province digest:\n"
        << want << "national digest:\n"
        << got << "national log:\n"
        << national.Logs();
  }

  std::string national_db_, national_url_, shard_url_;
  std::unique_ptr<testing::PgServer> shard_;
};

TEST_F(ExchangeShardsTest, TheNationalNodeKeepsTheProvinceOnItsShard) {
  Enrol();
  if (HasFatalFailure()) return;
  RunResult placed = Ok({"national", "shard", "--province", "440000=" + shard_url_}, National());
  EXPECT_NE(placed.out.find("省份 440000 的 0 名学生已移至分片"), std::string::npos)
      << placed.Describe();
  // The URL's user stays in the user mapping; the listing shows where, not who.
  RunResult listed = Ok({"national", "shards"}, National());
  EXPECT_NE(listed.out.find("440000,shard_440000,127.0.0.1:"), std::string::npos)
      << listed.Describe();
  EXPECT_EQ(listed.out.find("postgres@"), std::string::npos) << listed.Describe();
  // Placed once only.
  RunResult again =
      RunNemis({"national", "shard", "--province", "440000=" + shard_url_}, National());
  EXPECT_EQ(again.status.code, 1) << again.Describe();
  EXPECT_NE(again.err.find("province_placed"), std::string::npos) << again.Describe();

  // Only a national node has shards; a flag without its URL is refused before anything opens.
  RunResult provincial = RunNemis({"national", "shards"}, Province());
  EXPECT_EQ(provincial.status.code, 2) << provincial.Describe();
  EXPECT_NE(provincial.err.find("node.role = national"), std::string::npos);
  RunResult no_url = RunNemis({"national", "shard", "--province", "440000"}, National());
  EXPECT_EQ(no_url.status.code, 2) << no_url.Describe();
  EXPECT_NE(no_url.err.find("--province 须为"), std::string::npos) << no_url.Describe();

  Ok({"gen", "--students", std::to_string(kStudents), "--seed", "4", "--db", ProvinceUrl()},
     Province());
  Serve province("province", Province(), dir_.File("province-run"));
  province.Start();
  Serve national("national", NationalPulling(province.port(), 500), dir_.File("national-run"));
  national.Start();
  ExpectInStep(national, kStudents);
  if (HasFatalFailure()) return;
  EXPECT_EQ(OnShard(), kStudents);
  EXPECT_EQ(QueryInt(NationalUrl(), "SELECT COUNT(*) FROM student_local"), 0);
  EXPECT_EQ(QueryInt(NationalUrl(), "SELECT COUNT(*) FROM national_number"), kStudents);

  Ok({"gen", "--students", std::to_string(kMoreStudents), "--seed", "9", "--db", ProvinceUrl()},
     Province());
  ExpectInStep(national, kStudents + kMoreStudents);
  EXPECT_EQ(OnShard(), kStudents + kMoreStudents);
  // Read through the shard: every student there, the shard's table in step with the node's.
  RunResult read = Ok({"national", "shards"}, National());
  EXPECT_NE(read.out.find("," + std::to_string(kStudents + kMoreStudents) + ",正常"),
            std::string::npos)
      << read.Describe();

  national.Stop();
  province.Stop();

  // A later migration's column (here added by hand) reaches the shard when the node next opens
  // its store.
  auto store = db::Database::Open(NationalUrl(), db::Options{});
  ASSERT_TRUE(store.ok()) << store.error().message;
  ASSERT_TRUE((*store)
                  ->WithWriter([](db::Connection& c) {
                    return c.ExecScript("ALTER TABLE student ADD COLUMN later TEXT");
                  })
                  .ok());
  RunResult followed = Ok({"national", "shards"}, National());
  EXPECT_NE(followed.out.find(",正常"), std::string::npos) << followed.Describe();
  EXPECT_NE(followed.err.find("shard_column_followed"), std::string::npos) << followed.Describe();
  EXPECT_EQ(QueryInt(shard_url_,
                     "SELECT COUNT(*) FROM information_schema.columns WHERE "
                     "table_name = 'student_440000' AND column_name = 'later'"),
            1);
}

}  // namespace
}  // namespace nemis::it
