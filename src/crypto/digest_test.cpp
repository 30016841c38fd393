#include "crypto/digest.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"

namespace nemis::crypto {
namespace {

std::string Repeat(std::string_view s, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += s;
  return out;
}

// RFC 2104 written out over Sm3, to check HmacSm3 against the definition: no published
// HMAC-SM3 vectors exist in the GB/T standards, but SM3 itself is checked below.
std::string ReferenceHmacSm3(std::string key, std::string_view data) {
  constexpr size_t kBlock = 64;
  if (key.size() > kBlock) key = Sm3(key);
  key.resize(kBlock, '\0');
  std::string inner_pad = key;
  std::string outer_pad = key;
  for (size_t i = 0; i < kBlock; ++i) {
    inner_pad[i] = static_cast<char>(inner_pad[i] ^ 0x36);
    outer_pad[i] = static_cast<char>(outer_pad[i] ^ 0x5c);
  }
  return Sm3(outer_pad + Sm3(inner_pad + std::string(data)));
}

TEST(Sm3Test, GbT32905AppendixAVectors) {
  EXPECT_EQ(ToHex(Sm3("abc")), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  EXPECT_EQ(ToHex(Sm3(Repeat("abcd", 16))),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
  EXPECT_EQ(Sm3("").size(), kSm3Bytes);
}

TEST(Sha256Test, FipsVectors) {
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Test, InPiecesEqualsAtOnce) {
  Sha256Hasher hasher;
  hasher.Update("a");
  hasher.Update("");
  hasher.Update("bc");
  EXPECT_EQ(ToHex(hasher.Finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Finish starts afresh: nothing given since is the empty message.
  EXPECT_EQ(ToHex(hasher.Finish()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // Pieces of every length from 1 to 130 across the 64-byte blocks.
  const std::string data = Repeat("0123456789abcdefghijklmnopqrstuvwxyz", 240);
  size_t at = 0;
  for (size_t n = 1; at < data.size(); n = n % 130 + 1) {
    hasher.Update(std::string_view(data).substr(at, n));
    at += n;
  }
  EXPECT_EQ(hasher.Finish(), Sha256(data));
}

TEST(HmacSha256Test, Rfc4231Vectors) {
  // Test case 1, 2 and 6 (a key longer than the block is hashed first).
  EXPECT_EQ(ToHex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(ToHex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(ToHex(HmacSha256(std::string(131, '\xaa'),
                             "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256Test, EmptyKeyAndMessage) {
  // Python: hmac.new(b"", b"", "sha256").
  EXPECT_EQ(ToHex(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha1Test, Rfc2202Vectors) {
  EXPECT_EQ(ToHex(HmacSha1(std::string(20, '\x0b'), "Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(ToHex(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(HmacSha1("k", "m").size(), kSha1Bytes);
}

TEST(HmacSm3Test, MatchesRfc2104OverSm3ForShortExactAndLongKeys) {
  const std::string message = "学籍号 G11010519491231002X";
  for (size_t key_len : {0, 1, 16, 32, 64, 65, 131}) {
    std::string key(key_len, '\0');
    for (size_t i = 0; i < key_len; ++i) key[i] = static_cast<char>(i * 7 + 1);
    EXPECT_EQ(ToHex(HmacSm3(key, message)), ToHex(ReferenceHmacSm3(key, message))) << key_len;
  }
  EXPECT_EQ(HmacSm3("k", "").size(), kSm3Bytes);
}

TEST(HmacSm3Test, DependsOnKeyAndMessage) {
  std::string mac = HmacSm3("key-1", "message");
  EXPECT_NE(mac, HmacSm3("key-2", "message"));
  EXPECT_NE(mac, HmacSm3("key-1", "messagf"));
  EXPECT_NE(mac, Sm3("message"));
  EXPECT_NE(mac, HmacSha256("key-1", "message"));
}

}  // namespace
}  // namespace nemis::crypto
