#include "crypto/internal/jose_signature.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "crypto/encoding.hpp"

namespace nemis::crypto::internal {
namespace {

std::string Hex(std::string_view hex) { return *FromHex(hex); }

// r and s from GM/T 0003.5-2012 appendix A; both have the top bit set, so each DER
// INTEGER needs a leading zero byte.
constexpr std::string_view kR = "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3";
constexpr std::string_view kS = "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa";

TEST(JoseSignatureTest, ConvertsBothWaysWithSignBytes) {
  std::string der = Hex(std::string("3046022100") + std::string(kR) + "022100" + std::string(kS));
  std::string jose = Hex(std::string(kR) + std::string(kS));
  EXPECT_EQ(DerToJose(der, 32), jose);
  EXPECT_EQ(JoseToDer(jose, 32), der);
}

TEST(JoseSignatureTest, PadsShortNumbersToTheCoordinateWidth) {
  // r = 1, s = 0x0100: DER keeps them minimal, JOSE pads them to 32 bytes each.
  std::string der = Hex("300702010102020100");
  std::string jose = std::string(31, '\0') + "\x01" + std::string(30, '\0') + "\x01" + '\0';
  EXPECT_EQ(ToHex(DerToJose(der, 32)), ToHex(jose));
  EXPECT_EQ(ToHex(*JoseToDer(jose, 32)), ToHex(der));
}

TEST(JoseSignatureTest, RejectsWrongLengthsAndMalformedDer) {
  EXPECT_FALSE(JoseToDer(std::string(63, '\x01'), 32));
  EXPECT_FALSE(JoseToDer(std::string(65, '\x01'), 32));
  EXPECT_FALSE(JoseToDer("", 32));
  EXPECT_THROW(DerToJose("not der", 32), std::runtime_error);
  // A 33-byte r does not fit a 32-byte coordinate.
  std::string wide = Hex("3026022101" + std::string(64, '1') + "020101");
  EXPECT_THROW(DerToJose(wide, 32), std::runtime_error);
}

}  // namespace
}  // namespace nemis::crypto::internal
