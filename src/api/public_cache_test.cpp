#include "api/public_cache.hpp"

#include <gtest/gtest.h>

namespace nemis::api {
namespace {

using namespace std::chrono_literals;
using Clock = PublicCache::Clock;

TEST(PublicCacheTest, KeepsAnAnswerForItsTimeToLive) {
  PublicCache cache(60s, 1 << 20);
  const Clock::time_point t0{};
  cache.Put("a", "{\"x\":1}", t0);
  auto hit = cache.Get("a", t0 + 59s);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(*hit, "{\"x\":1}");
  EXPECT_EQ(cache.Get("b", t0), nullptr);
  EXPECT_EQ(cache.Get("a", t0 + 60s), nullptr) << "expired";
  EXPECT_EQ(cache.entries(), 0u) << "an expired answer is dropped when met";
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(PublicCacheTest, ANewAnswerReplacesTheOld) {
  PublicCache cache(60s, 1 << 20);
  const Clock::time_point t0{};
  cache.Put("a", "old", t0);
  cache.Put("a", "new", t0 + 30s);
  EXPECT_EQ(*cache.Get("a", t0 + 80s), "new");
  EXPECT_EQ(cache.entries(), 1u);
}

TEST(PublicCacheTest, StaysWithinItsBytesDroppingTheLeastRecentlyUsed) {
  const std::string body(1000, 'x');
  PublicCache cache(60s, 3 * (1000 + 2 + 128));  // three one-letter keys with their bodies
  const Clock::time_point t0{};
  cache.Put("a", body, t0);
  cache.Put("b", body, t0);
  cache.Put("c", body, t0);
  EXPECT_EQ(cache.entries(), 3u);
  ASSERT_NE(cache.Get("a", t0), nullptr);  // a is now the most recently used
  cache.Put("d", body, t0);
  EXPECT_EQ(cache.entries(), 3u);
  EXPECT_LE(cache.bytes(), 3u * (1000 + 2 + 128));
  EXPECT_NE(cache.Get("a", t0), nullptr);
  EXPECT_EQ(cache.Get("b", t0), nullptr) << "the least recently used went first";
  EXPECT_NE(cache.Get("c", t0), nullptr);
  EXPECT_NE(cache.Get("d", t0), nullptr);
  cache.Put("huge", std::string(10000, 'y'), t0);
  EXPECT_EQ(cache.Get("huge", t0), nullptr) << "larger than the whole bound: not kept";
  EXPECT_EQ(cache.entries(), 3u) << "and nothing dropped for it";
}

TEST(PublicCacheTest, ATimeToLiveOfZeroKeepsNothing) {
  PublicCache cache(0s, 1 << 20);
  cache.Put("a", "x", Clock::time_point{});
  EXPECT_EQ(cache.Get("a", Clock::time_point{}), nullptr);
  EXPECT_EQ(cache.entries(), 0u);
}

}  // namespace
}  // namespace nemis::api
