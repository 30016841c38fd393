// Concurrent writers: every acknowledged write is kept, and one job's failure never
// costs another job its writes (on SQLite they share a group commit, which the
// writer's counters show).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/metrics.hpp"
#include "db/database.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kCreate =
    "CREATE TABLE w (worker INTEGER, seq INTEGER, PRIMARY KEY (worker, seq))";
constexpr std::string_view kInsert = "INSERT INTO w (worker, seq) VALUES ($1, $2)";
constexpr std::string_view kCount = "SELECT count(*) FROM w";
constexpr std::string_view kCountFor = "SELECT count(*) FROM w WHERE worker = $1 AND seq = $2";

class GroupCommitTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK(db().WithWriter([](Connection& c) { return c.ExecScript(kCreate); }));
  }
  bool Present(int worker, int seq) {
    auto n = db().Read<int64_t>([&](Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kCountFor, {worker, seq}));
      return rs.rows.at(0).Int(0);
    });
    return n.ok() && *n == 1;
  }
};

TEST_P(GroupCommitTest, EveryAcknowledgedWriteFromManyThreadsIsKept) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 200;
  std::vector<std::vector<bool>> acknowledged(kThreads, std::vector<bool>(kWrites));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        // Every 10th job fails after writing: its row must vanish, alone.
        Status s = db().WithWriter([&](Connection& c) -> Status {
          NEMIS_TRY(c.Query(kInsert, {t, i}));
          if (i % 10 == 5) return Error::Invalid({}, "rejected");
          return {};
        });
        acknowledged[t][i] = s.ok();
      }
    });
  }
  for (auto& th : threads) th.join();
  int64_t expected = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kWrites; ++i) {
      EXPECT_EQ(acknowledged[t][i], i % 10 != 5) << t << "/" << i;
      if (acknowledged[t][i]) ++expected;
    }
  }
  auto count = db().Read<int64_t>([](Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(ResultSet rs, c.Query(kCount));
    return rs.rows.at(0).Int(0);
  });
  ASSERT_OK(count);
  EXPECT_EQ(*count, expected);
  EXPECT_EQ(expected, kThreads * kWrites * 9 / 10);
}

// The SQLite writer's counters (db/internal/store_metrics.hpp), process-wide: read as
// differences.
Counter& SqliteCounter(const std::string& name, const std::string& help) {
  return MetricsRegistry::Global().GetCounter(name, help, {{"backend", "sqlite"}});
}

TEST_P(GroupCommitTest, FailingJobsInTheMiddleOfAGroupAffectOnlyThemselves) {
  constexpr int kJobs = 7;
  const bool sqlite = backend() == Backend::kSqlite;
  Counter& queued =
      SqliteCounter("nemis_store_group_commit_jobs_queued_total",
                    "Write jobs queued for the group-commit writer (minus jobs run: waiting)");
  Counter& groups = SqliteCounter("nemis_store_group_commits_total",
                                  "Write transactions committed by the group-commit writer");
  Counter& group_jobs = SqliteCounter("nemis_store_group_commit_jobs_total",
                                      "Write jobs run by the group-commit writer");
  // On SQLite, hold the writer thread inside a raw job until every job below is queued
  // behind it: they must then run as one group, in one transaction with one commit.
  std::latch writer_held(1), all_queued(1);
  std::thread blocker;
  if (sqlite) {
    blocker = std::thread([&] {
      Status s = db().WithRawWriter([&](Connection&) -> Status {
        writer_held.count_down();
        all_queued.wait();
        return {};
      });
      EXPECT_OK(s);
    });
    writer_held.wait();
  }
  const int64_t queued_before = queued.Value(), groups_before = groups.Value(),
                group_jobs_before = group_jobs.Value();
  std::vector<Status> results(kJobs);
  std::vector<std::thread> jobs;
  for (int j = 0; j < kJobs; ++j) {
    jobs.emplace_back([&, j] {
      results[j] = db().WithWriter([&](Connection& c) -> Status {
        NEMIS_TRY(c.Query(kInsert, {j, 1}));
        NEMIS_TRY(c.Query(kInsert, {j, 2}));
        if (j == 2) return Error::Conflict("nope", "returned error");
        if (j == 3) throw std::runtime_error("thrown");
        if (j == 4) NEMIS_TRY(c.Query(kInsert, {j, 1}));  // a duplicate: its statement fails
        return {};
      });
    });
  }
  if (sqlite) {
    // Nothing signals a job's arrival in the writer's queue but this counter: poll it.
    bool queued_all = false;
    for (int i = 0; i < 30000 && !queued_all; ++i) {
      queued_all = queued.Value() - queued_before == kJobs;
      if (!queued_all) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_TRUE(queued_all) << queued.Value() - queued_before << " jobs queued";
    all_queued.count_down();
  }
  for (auto& th : jobs) th.join();
  if (blocker.joinable()) blocker.join();
  for (int j = 0; j < kJobs; ++j) {
    bool should_succeed = j < 2 || j > 4;
    EXPECT_EQ(results[j].ok(), should_succeed) << j;
    EXPECT_EQ(Present(j, 1), should_succeed) << j;
    EXPECT_EQ(Present(j, 2), should_succeed) << j;
  }
  EXPECT_EQ(results[2].error().code, "nope");
  EXPECT_EQ(results[3].error().kind, ErrorKind::kInternal);
  EXPECT_EQ(results[4].error().code, kUniqueViolation);
  if (sqlite) {
    EXPECT_EQ(group_jobs.Value() - group_jobs_before, kJobs);
    EXPECT_EQ(groups.Value() - groups_before, 1);  // all seven shared one commit
  }
}

NEMIS_STORE_TEST_SUITE(GroupCommitTest);

}  // namespace
}  // namespace nemis::db
