#include "api/principal_cache.hpp"

#include <gtest/gtest.h>

namespace nemis::api {
namespace {

using std::chrono::seconds;

std::shared_ptr<const identity::Principal> Named(std::string login) {
  auto p = std::make_shared<identity::Principal>();
  p->login = std::move(login);
  return p;
}

TEST(PrincipalCacheTest, EntriesExpireAfterTheTtl) {
  PrincipalCache cache(seconds(10), 100);
  auto t0 = PrincipalCache::Clock::time_point() + seconds(1000);
  EXPECT_EQ(cache.Find("nemis_a", t0), nullptr);
  cache.Put("nemis_a", Named("zhang"), t0);
  ASSERT_NE(cache.Find("nemis_a", t0 + seconds(9)), nullptr);
  EXPECT_EQ(cache.Find("nemis_a", t0 + seconds(9))->login, "zhang");
  EXPECT_EQ(cache.Find("nemis_a", t0 + seconds(10)), nullptr);
  EXPECT_EQ(cache.Find("nemis_b", t0), nullptr);
}

TEST(PrincipalCacheTest, StaysWithinItsSizeAndCanBeDisabled) {
  PrincipalCache cache(seconds(10), 3);
  auto t0 = PrincipalCache::Clock::time_point() + seconds(1000);
  for (int i = 0; i < 3; ++i) cache.Put("t" + std::to_string(i), Named("x"), t0);
  cache.Put("t3", Named("y"), t0 + seconds(1));  // full, nothing expired: starts afresh
  EXPECT_EQ(cache.Find("t0", t0 + seconds(1)), nullptr);
  EXPECT_NE(cache.Find("t3", t0 + seconds(1)), nullptr);
  cache.Clear();
  EXPECT_EQ(cache.Find("t3", t0 + seconds(1)), nullptr);
  PrincipalCache off(seconds(0), 3);
  off.Put("t", Named("z"), t0);
  EXPECT_EQ(off.Find("t", t0), nullptr);
}

}  // namespace
}  // namespace nemis::api
