#include "crypto/internal/sm4.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "crypto/encoding.hpp"

namespace nemis::crypto::internal {
namespace {

std::string Hex(std::string_view hex) { return *FromHex(hex); }

TEST(Sm4Test, GbT32907SingleBlockVector) {
  std::string key = Hex("0123456789abcdeffedcba9876543210");
  EXPECT_EQ(ToHex(Sm4EncryptBlock(key, key)), "681edf34d206965e86b3e94f536e4246");
}

TEST(Sm4Test, CtrMatchesDraftRiboseCfrgSm4Vector) {
  // draft-ribose-cfrg-sm4-10 A.2.5.1 (SM4-CTR example 1).
  std::string key = Hex("0123456789abcdeffedcba9876543210");
  std::string iv = Hex("000102030405060708090a0b0c0d0e0f");
  std::string plain =
      Hex("aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd"
          "eeeeeeeeeeeeeeeeffffffffffffffffaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb");
  std::string cipher =
      "ac3236cb970cc20791364c395a1342d1a3cbc1878c6f30cd074cce385cdd70c7"
      "f234bc0e24c11980fd1286310ce37b926e02fcd0faa0baf38b2933851d824514";
  EXPECT_EQ(ToHex(Sm4Ctr(key, iv, plain)), cipher);
  EXPECT_EQ(Sm4Ctr(key, iv, Hex(cipher)), plain);  // CTR decrypts by encrypting again
}

TEST(Sm4Test, CtrCounterCarriesAcrossThe128BitBlock) {
  // Keystream block i is E(K, IV + i) with a full 128-bit big-endian increment.
  std::string key = Hex("fedcba98765432100123456789abcdef");
  std::string iv = Hex("00000000000000ffffffffffffffffff");
  std::string keystream = Sm4Ctr(key, iv, std::string(40, '\0'));
  ASSERT_EQ(keystream.size(), 40u);
  EXPECT_EQ(keystream.substr(0, 16), Sm4EncryptBlock(key, iv));
  EXPECT_EQ(keystream.substr(16, 16),
            Sm4EncryptBlock(key, Hex("00000000000001000000000000000000")));
  EXPECT_EQ(keystream.substr(32, 8),
            Sm4EncryptBlock(key, Hex("00000000000001000000000000000001")).substr(0, 8));
  EXPECT_EQ(Sm4Ctr(key, iv, ""), "");
}

TEST(Sm4Test, WrongSizesAreProgrammingErrors) {
  std::string key(16, 'k');
  EXPECT_THROW(Sm4EncryptBlock(std::string(15, 'k'), std::string(16, 'b')), std::invalid_argument);
  EXPECT_THROW(Sm4EncryptBlock(key, std::string(17, 'b')), std::invalid_argument);
  EXPECT_THROW(Sm4Ctr(std::string(32, 'k'), std::string(16, 'i'), "x"), std::invalid_argument);
  EXPECT_THROW(Sm4Ctr(key, std::string(12, 'i'), "x"), std::invalid_argument);
}

}  // namespace
}  // namespace nemis::crypto::internal
