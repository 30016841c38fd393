#include "crypto/internal/keyed_context_cache.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/internal/sm4.hpp"

namespace nemis::crypto::internal {
namespace {

TEST(KeyedContextCacheTest, MakesOneContextPerKindAndKeyAndForgetsTheOldestBeyondItsSlots) {
  KeyedContextCache<std::unique_ptr<std::string>, 2> cache;
  int made = 0;
  auto make = [&](std::string_view key) {
    ++made;
    return std::make_unique<std::string>(key);
  };
  EXPECT_EQ(*cache.Get("hmac", "k1", make), "k1");
  EXPECT_EQ(*cache.Get("hmac", "k1", make), "k1");
  EXPECT_EQ(made, 1);
  EXPECT_EQ(*cache.Get("sm4", "k1", make), "k1");  // another kind: another context
  EXPECT_EQ(made, 2);
  EXPECT_EQ(*cache.Get("hmac", "k2", make), "k2");  // a third: the oldest goes
  EXPECT_EQ(made, 3);
  EXPECT_EQ(*cache.Get("hmac", "k1", make), "k1");
  EXPECT_EQ(made, 4);
}

// Reused contexts must give what fresh ones give, however keys interleave.
TEST(KeyedContextCacheTest, HmacAndSm4AreTheSameWithKeysInterleavedBeyondTheCache) {
  std::vector<std::string> keys;
  for (char c = 'a'; c < 'a' + 12; ++c) keys.push_back(std::string(32, c));
  std::vector<std::string> first;
  for (const auto& k : keys) first.push_back(ToHex(HmacSm3(k, "学生个人信息")));
  for (size_t i = keys.size(); i-- > 0;)
    EXPECT_EQ(ToHex(HmacSm3(keys[i], "学生个人信息")), first[i]) << i;
  EXPECT_NE(first[0], first[1]);
  const std::string iv(16, '\x01');
  std::string a = Sm4Ctr(keys[0].substr(0, 16), iv, "personal");
  std::string b = Sm4Ctr(keys[1].substr(0, 16), iv, "personal");
  EXPECT_NE(a, b);
  EXPECT_EQ(Sm4Ctr(keys[0].substr(0, 16), iv, a), "personal");  // CTR twice is the identity
  EXPECT_EQ(Sm4Ctr(keys[1].substr(0, 16), iv, b), "personal");
  EXPECT_NE(Sm4Ctr(keys[0].substr(0, 16), std::string(16, '\x02'), a),
            "personal");  // the IV was reset
}

}  // namespace
}  // namespace nemis::crypto::internal
