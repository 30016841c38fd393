// Concurrent writers: every acknowledged write is kept, and one job's failure never
// costs another job its writes (on SQLite they share a group commit).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "db/database.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kCreate = "CREATE TABLE w (worker INTEGER, seq INTEGER, PRIMARY KEY (worker, seq))";
constexpr std::string_view kInsert = "INSERT INTO w (worker, seq) VALUES ($1, $2)";
constexpr std::string_view kCount = "SELECT count(*) FROM w";
constexpr std::string_view kCountFor = "SELECT count(*) FROM w WHERE worker = $1 AND seq = $2";

class GroupCommitTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(db().WithWriter([](Connection& c) { return c.ExecScript(kCreate); }).ok());
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
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, expected);
  EXPECT_EQ(expected, kThreads * kWrites * 9 / 10);
}

TEST_P(GroupCommitTest, FailingJobsInTheMiddleOfAGroupAffectOnlyThemselves) {
  // Hold the writer busy so the jobs below queue up and (on SQLite) run as one group.
  std::atomic<bool> release{false};
  std::thread blocker([&] {
    Status s = db().WithRawWriter([&](Connection&) -> Status {
      while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return {};
    });
    EXPECT_TRUE(s.ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::vector<Status> results(7);
  std::vector<std::thread> jobs;
  for (int j = 0; j < 7; ++j) {
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
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release = true;
  for (auto& th : jobs) th.join();
  blocker.join();
  for (int j = 0; j < 7; ++j) {
    bool should_succeed = j < 2 || j > 4;
    EXPECT_EQ(results[j].ok(), should_succeed) << j;
    EXPECT_EQ(Present(j, 1), should_succeed) << j;
    EXPECT_EQ(Present(j, 2), should_succeed) << j;
  }
  EXPECT_EQ(results[2].error().code, "nope");
  EXPECT_EQ(results[3].error().kind, ErrorKind::kInternal);
  EXPECT_EQ(results[4].error().code, kUniqueViolation);
}

NEMIS_STORE_TEST_SUITE(GroupCommitTest);

}  // namespace
}  // namespace nemis::db
