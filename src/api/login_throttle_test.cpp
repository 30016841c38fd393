#include "api/login_throttle.hpp"

#include <gtest/gtest.h>

namespace nemis::api {
namespace {

using std::chrono::seconds;

TEST(LoginThrottleTest, AllowsNPerMinutePerAddress) {
  LoginThrottle throttle(3);
  auto t0 = std::chrono::steady_clock::time_point() + std::chrono::hours(1);
  EXPECT_TRUE(throttle.Allow("10.0.0.1", t0));
  EXPECT_TRUE(throttle.Allow("10.0.0.1", t0 + seconds(10)));
  EXPECT_TRUE(throttle.Allow("10.0.0.1", t0 + seconds(20)));
  EXPECT_FALSE(throttle.Allow("10.0.0.1", t0 + seconds(30)));
  EXPECT_TRUE(throttle.Allow("10.0.0.2", t0 + seconds(30)))
      << "another address has its own allowance";
  EXPECT_FALSE(throttle.Allow("10.0.0.1", t0 + seconds(59)));
  EXPECT_TRUE(throttle.Allow("10.0.0.1", t0 + seconds(60))) << "the first attempt left the window";
  EXPECT_FALSE(throttle.Allow("10.0.0.1", t0 + seconds(61)));
}

}  // namespace
}  // namespace nemis::api
