#include "crypto/random.hpp"

#include <gtest/gtest.h>

#include <array>

#include "crypto/encoding.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::crypto {
namespace {

TEST(RandomBytesTest, ReturnsTheRequestedLengthAndFreshBytes) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(1).size(), 1u);
  std::string a = RandomBytes(32);
  std::string b = RandomBytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);  // equal with probability 2^-256
}

TEST(RandomBytesTest, CoversEveryByteValue) {
  // A stuck or badly biased generator misses values; a good one misses one of 256 values in
  // 16 KiB with probability about 256 * e^-64.
  std::array<int, 256> seen{};
  for (unsigned char byte : RandomBytes(16384)) ++seen[byte];
  for (int value = 0; value < 256; ++value) EXPECT_GT(seen[value], 0) << value;
}

TEST(RandomTokenTest, IsUnpaddedBase64UrlOfTheRequestedBytes) {
  std::string token = RandomToken();
  EXPECT_EQ(token.size(), 43u);
  Result<std::string> raw = Base64UrlDecode(token);
  ASSERT_OK(raw);
  EXPECT_EQ(raw->size(), 32u);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(RandomToken(16).size(), 22u);
  EXPECT_NE(RandomToken(), RandomToken());
}

}  // namespace
}  // namespace nemis::crypto
