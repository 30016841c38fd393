// The poller of the national node on both stores, against the national node's answers given
// in-process: a national node it cannot reach counts failed rounds (peer_unavailable, the last
// round not ok), and once reachable the next round opens the case and says so; what it reports is
// what /metrics shows (api/health_routes.cpp).
#include "exchange/national_poller.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "exchange/exchange_testing.hpp"

namespace nemis::exchange {
namespace {

using namespace std::chrono_literals;

class NationalPollerTest : public testing::TwoRegistrationsTest {
 protected:
  // Polls `done` every 10 ms for up to 20 s.
  static bool Eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 2000; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return done();
  }
};

TEST_P(NationalPollerTest, CountsFailedRoundsThenOpensTheCaseOnceReachable) {
  std::atomic<bool> reachable{false};
  NationalPoller::National national{
      [&]() -> Result<ReportedConflicts> {
        if (!reachable) return Error{ErrorKind::kUnavailable, "peer_unavailable", "无法通信", {}};
        return ConflictsFor(*national_, national_cipher_, "440000", 100, "2000-01-01");
      },
      [](const std::vector<ConflictVerdict>&) { return Status(); },
      [](const TransferPost&) -> Result<TransferAnswer> { return TransferAnswer{}; },
      [](int64_t) -> Result<DivisionFeed> { return DivisionFeed{}; }};
  NationalPoller poller(db(), province_cipher_, *cases_, "440000", std::move(national), 10ms);
  poller.Start();
  EXPECT_TRUE(Eventually([&] { return poller.Status().failures >= 2; }));
  NationalPollStatus down = poller.Status();
  EXPECT_FALSE(down.last_ok);
  EXPECT_EQ(down.last_error_code, "peer_unavailable");
  EXPECT_EQ(down.cases_opened, 0);

  reachable = true;
  EXPECT_TRUE(Eventually([&] { return poller.Status().last_ok; }));
  poller.Stop();
  NationalPollStatus up = poller.Status();
  EXPECT_EQ(up.cases_opened, 1);
  EXPECT_EQ(up.last_error_code, "");
  EXPECT_GE(up.rounds, up.failures + 1);
  EXPECT_EQ(CaseColumn("type"), "exchange.duplicate");
}

NEMIS_STORE_TEST_SUITE(NationalPollerTest);

}  // namespace
}  // namespace nemis::exchange
