#include "api/public_throttle.hpp"

#include <gtest/gtest.h>

namespace nemis::api {
namespace {

using namespace std::chrono_literals;
using Clock = PublicThrottle::Clock;

TEST(PublicThrottleTest, AcceptsTheBurstThenSaysHowLongToWait) {
  PublicThrottle throttle({.per_minute = 60, .burst = 3, .max_clients = 10});
  const Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(throttle.Take("a", t0), 0) << i;
  EXPECT_EQ(throttle.Take("a", t0), 1) << "one token a second";
  EXPECT_EQ(throttle.Take("b", t0), 0) << "each address has its own bucket";
  EXPECT_EQ(throttle.Take("a", t0 + 500ms), 1) << "half a token: still a second to wait";
  EXPECT_EQ(throttle.Take("a", t0 + 1s), 0) << "refilled";
  EXPECT_EQ(throttle.Take("a", t0 + 1s), 1);
}

TEST(PublicThrottleTest, RetryAfterFollowsTheRate) {
  PublicThrottle throttle({.per_minute = 2, .burst = 1, .max_clients = 10});
  const Clock::time_point t0{};
  EXPECT_EQ(throttle.Take("a", t0), 0);
  EXPECT_EQ(throttle.Take("a", t0), 30);
  EXPECT_EQ(throttle.Take("a", t0 + 10s), 20);
  EXPECT_EQ(throttle.Take("a", t0 + 30s), 0);
}

TEST(PublicThrottleTest, TheBucketNeverHoldsMoreThanTheBurst) {
  PublicThrottle throttle({.per_minute = 60, .burst = 2, .max_clients = 10});
  const Clock::time_point t0{};
  EXPECT_EQ(throttle.Take("a", t0), 0);
  const Clock::time_point later = t0 + 1h;
  EXPECT_EQ(throttle.Take("a", later), 0);
  EXPECT_EQ(throttle.Take("a", later), 0);
  EXPECT_EQ(throttle.Take("a", later), 1);
}

TEST(PublicThrottleTest, ZeroRateLimitsNothing) {
  PublicThrottle throttle({.per_minute = 0, .burst = 1, .max_clients = 10});
  for (int i = 0; i < 100; ++i) EXPECT_EQ(throttle.Take("a", Clock::time_point{}), 0);
  EXPECT_EQ(throttle.clients(), 0u);
}

TEST(PublicThrottleTest, ForgetsAddressesBeyondTheMaximumLeastRecentlySeenFirst) {
  PublicThrottle throttle({.per_minute = 1, .burst = 1, .max_clients = 3});
  const Clock::time_point t0{};
  for (std::string a : {"a", "b", "c"}) EXPECT_EQ(throttle.Take(a, t0), 0);
  EXPECT_GT(throttle.Take("a", t0), 0);  // a: empty, and now the most recently seen
  EXPECT_EQ(throttle.Take("d", t0), 0);
  EXPECT_EQ(throttle.clients(), 3u);
  EXPECT_EQ(throttle.Take("b", t0), 0) << "b was forgotten: a new, full bucket";
  EXPECT_GT(throttle.Take("a", t0), 0) << "a was kept, still empty";
}

TEST(PublicThrottleTest, ForgetsIdleAddressesWhoseBucketsAreFullAgain) {
  PublicThrottle throttle({.per_minute = 60, .burst = 10, .max_clients = 1000});
  const Clock::time_point t0{};
  for (int i = 0; i < 100; ++i) EXPECT_EQ(throttle.Take("old" + std::to_string(i), t0), 0);
  EXPECT_EQ(throttle.clients(), 100u);
  // Ten seconds refill a bucket of 10 at one a second: the old addresses go as new ones come.
  for (int i = 0; i < 100; ++i) EXPECT_EQ(throttle.Take("new" + std::to_string(i), t0 + 11s), 0);
  EXPECT_EQ(throttle.clients(), 100u);
}

http::Request From(std::string peer, std::string forwarded = "") {
  http::Request r;
  r.remote_address = std::move(peer);
  if (!forwarded.empty()) r.headers = {{"X-Forwarded-For", std::move(forwarded)}};
  return r;
}

TEST(ClientAddressTest, IsThePeerUnlessThePeerIsATrustedProxy) {
  const auto trusted = ParseTrustedProxies(" 10.0.0.1 ,10.0.0.2,, ");
  EXPECT_EQ(trusted, (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(ClientAddress(From("198.51.100.7", "1.2.3.4"), trusted), "198.51.100.7");
  EXPECT_EQ(ClientAddress(From("10.0.0.1", "1.2.3.4"), trusted), "1.2.3.4");
  EXPECT_EQ(ClientAddress(From("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2"), trusted), "1.2.3.4")
      << "the nearest untrusted hop, read from the right";
  EXPECT_EQ(ClientAddress(From("10.0.0.1", "10.0.0.2"), trusted), "10.0.0.2");
  EXPECT_EQ(ClientAddress(From("10.0.0.1"), trusted), "10.0.0.1") << "no header: the proxy";
  EXPECT_EQ(ClientAddress(From("10.0.0.1", std::string(500, '9')), trusted).size(), 64u);
  EXPECT_EQ(ClientAddress(From("10.0.0.1", "1.2.3.4"), {}), "10.0.0.1") << "none trusted";
}

}  // namespace
}  // namespace nemis::api
