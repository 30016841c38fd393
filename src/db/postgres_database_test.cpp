// PostgreSQL specifics: the connection pool (exhaustion, reconnecting) and retrying
// transactions that lost a deadlock.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>

#include "db/database.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kBackendPid = "SELECT pg_backend_pid()";
constexpr std::string_view kTerminate = "SELECT pg_terminate_backend($1)";

class PostgresDatabaseTest : public testing::StoreTest {
 protected:
  Options StoreOptions() const override {
    Options options = StoreTest::StoreOptions();
    options.pool_size = 1;
    options.busy_timeout_ms = 200;
    return options;
  }
  // Ends the server process behind one of the pool's connections, from another connection:
  // the pool does not notice until it uses it.
  void TerminateBackend(int64_t pid) {
    auto killer = Database::Open(url(), Options{});
    ASSERT_OK(killer);
    ASSERT_OK((*killer)->WithRawWriter([&](Connection& c) -> Status {
      NEMIS_TRY(c.Query(kTerminate, {pid}));
      return {};
    }));
  }
  Result<int64_t> BackendPid() {
    return db().Read<int64_t>([](Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kBackendPid));
      return rs.rows.at(0).Int(0);
    });
  }
};

TEST_P(PostgresDatabaseTest, ExhaustedPoolTimesOutAsUnavailable) {
  std::latch leased(1);
  std::latch done(1);
  std::thread holder([&] {
    Status s = db().WithReader([&](Connection&) -> Status {
      leased.count_down();
      done.wait();
      return {};
    });
    EXPECT_OK(s);
  });
  leased.wait();
  Status waited = db().WithWriter([](Connection&) -> Status { return {}; });
  done.count_down();
  holder.join();
  ASSERT_THAT(waited, nemis::testing::IsErrorCode("store_unavailable"));
  EXPECT_EQ(waited.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(waited.error().code, kStoreUnavailable);
  // Refused by the wait's deadline, not at once for want of a connection.
  EXPECT_NE(waited.error().message.find("no PostgreSQL connection free within " +
                                        std::to_string(StoreOptions().busy_timeout_ms) + " ms"),
            std::string::npos)
      << waited.error().message;
  EXPECT_OK(db().Ping());  // the connection came back to the pool
}

TEST_P(PostgresDatabaseTest, BrokenConnectionIsReplacedOnNextLease) {
  auto pid = BackendPid();
  ASSERT_OK(pid);
  TerminateBackend(*pid);
  auto again = BackendPid();
  ASSERT_OK(again);
  EXPECT_NE(*again, *pid);
}

// BEGIN goes with the transaction's first statements: when that round trip finds the
// pooled connection dead, nothing has run, so it is sent again on a new connection.
TEST_P(PostgresDatabaseTest, AWriteOfDeferredStatementsSurvivesAConnectionFoundDead) {
  ASSERT_OK(db().WithWriter([](Connection& c) { return c.ExecScript("CREATE TABLE t (v TEXT)"); }));
  auto pid = BackendPid();
  ASSERT_OK(pid);
  TerminateBackend(*pid);
  ASSERT_OK(db().WithWriter([](Connection& c) -> Status {
    NEMIS_TRY(c.Defer("INSERT INTO t (v) VALUES ($1)", {"once"}));
    return c.Defer("INSERT INTO t (v) VALUES ($1)", {"twice"});
  }));
  auto rows = db().Read<int64_t>([](Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT count(*) FROM t"));
    return rs.rows.at(0).Int(0);
  });
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, 2);
  auto again = BackendPid();
  ASSERT_OK(again);
  EXPECT_NE(*again, *pid);
}

TEST_P(PostgresDatabaseTest, DeadlockedTransactionIsRetried) {
  ASSERT_OK(db().WithWriter([](Connection& c) {
    return c.ExecScript(
        "CREATE TABLE acct (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO acct VALUES (1, 0), (2, 0);");
  }));
  auto opened = Database::Open(url(), StoreOptions());  // a second pool: two connections in all
  ASSERT_OK(opened);
  Database& other = **opened;
  std::latch both_locked(2);
  std::atomic<int> runs{0};
  // Each locks one row, waits for the other, then wants the other's row: a deadlock
  // the server breaks by failing one; that one runs again (without waiting) and wins.
  auto transfer = [&](int first, int second) {
    return [&, first, second](Connection& c) -> Status {
      bool first_run = runs.fetch_add(1) < 2;
      NEMIS_TRY(c.ExecScript("SET LOCAL deadlock_timeout = '20ms'"));
      NEMIS_TRY(c.Query("UPDATE acct SET n = n + 1 WHERE id = $1", {first}));
      if (first_run) both_locked.arrive_and_wait();
      NEMIS_TRY(c.Query("UPDATE acct SET n = n + 1 WHERE id = $1", {second}));
      return {};
    };
  };
  Status a;
  std::thread t([&] { a = other.WithWriter(transfer(2, 1)); });
  Status b = db().WithWriter(transfer(1, 2));
  t.join();
  EXPECT_OK(a);
  EXPECT_OK(b);
  EXPECT_EQ(runs.load(), 3);
  auto total = db().Read<int64_t>([](Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT sum(n) FROM acct"));
    return rs.rows.at(0).Int(0);
  });
  ASSERT_OK(total);
  EXPECT_EQ(*total, 4);
}

TEST_P(PostgresDatabaseTest, ColumnTypesMapToValues) {
  auto rs = db().Read<ResultSet>([](Connection& c) {
    return c.Query(
        "SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 2.25::float8, 3.125::numeric, true, false, "
        "'x'::varchar, DATE '2024-09-01', NULL::int4");
  });
  ASSERT_OK(rs);
  const Row& r = rs->rows.at(0);
  EXPECT_EQ(r.at(0), Value(int64_t{1}));
  EXPECT_EQ(r.at(1), Value(int64_t{2}));
  EXPECT_EQ(r.at(2), Value(int64_t{3}));
  EXPECT_EQ(r.at(3), Value(1.5));
  EXPECT_EQ(r.at(4), Value(2.25));
  EXPECT_EQ(r.at(5), Value(3.125));
  EXPECT_EQ(r.at(6), Value(int64_t{1}));
  EXPECT_EQ(r.at(7), Value(int64_t{0}));
  EXPECT_EQ(r.at(8), Value(std::string("x")));
  EXPECT_EQ(r.at(9), Value(std::string("2024-09-01")));
  EXPECT_TRUE(r.IsNull(10));
}

// A statement of many values is planned for them each time, not prepared (a generic plan made
// while a table was small stays after it has grown); up to the protocol's 65,535 values,
// beyond which it is refused clearly. A statement of few values is prepared once.
TEST_P(PostgresDatabaseTest, AStatementOfManyValuesIsPlannedForThemUpToTheProtocolsLimit) {
  auto count = [&](size_t n) {
    std::string sql = "SELECT cardinality(ARRAY[";
    std::vector<Param> params;
    for (size_t i = 1; i <= n; ++i) {
      sql += (i > 1 ? ", $" : "$") + std::to_string(i);
      params.emplace_back(static_cast<int64_t>(i));
    }
    sql +=
        "]::bigint[]), (SELECT COUNT(*) FROM pg_prepared_statements "
        "WHERE statement LIKE 'SELECT cardinality%')";
    return db().Read<std::pair<int64_t, int64_t>>(
        [&](Connection& c) -> Result<std::pair<int64_t, int64_t>> {
          NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query(sql, params));
          return std::pair{rs.rows.at(0).Int(0), rs.rows.at(0).Int(1)};
        });
  };
  auto many = count(500);
  ASSERT_OK(many);
  EXPECT_EQ(*many, (std::pair<int64_t, int64_t>{500, 0}));  // not prepared
  auto few = count(3);
  ASSERT_OK(few);
  EXPECT_EQ(*few, (std::pair<int64_t, int64_t>{3, 1}));  // prepared, and seen by itself
  auto most = count(65535);
  ASSERT_OK(most);
  EXPECT_EQ(most->first, 65535);
  auto refused = count(65536);
  EXPECT_THAT(refused, nemis::testing::IsErrorCode("internal"));
  EXPECT_THAT(refused.error().message, ::testing::HasSubstr("at most 65535"));
  // The connection goes on serving.
  EXPECT_OK(count(2));
}

INSTANTIATE_TEST_SUITE_P(Postgres, PostgresDatabaseTest, ::testing::Values(Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace nemis::db
