#include "crypto/es256.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "crypto/encoding.hpp"
#include "crypto/sm2.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::crypto {
namespace {

// RFC 7515 appendix A.3: the ES256 example key (x, y, d) and the JWS it signs.
constexpr std::string_view kRfcX = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr std::string_view kRfcY = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr std::string_view kRfcSigningInput =
    "eyJhbGciOiJFUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQog"
    "Imh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
constexpr std::string_view kRfcSignature =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
// The same key as PEM (PKCS#8 from d = jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI, and
// SubjectPublicKeyInfo from x, y).
constexpr std::string_view kRfcPrivatePem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjpsQnnGQmL+YBIff\n"
    "H1136cspYG6+0iY7X1fCE9+E9LKhRANCAAR/zc4ncPbEXUGDy+5v20t7WAczNXvp\n"
    "7xO6z248e9FURcfxRM0bvZt+hyzf7bnuufSzaV1uqQskrYpGIyiFiOWt\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kRfcPublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV7\n"
    "6e8Tus9uPHvRVEXH8UTNG72bfocs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==\n"
    "-----END PUBLIC KEY-----\n";

std::string Unb64(std::string_view s) { return *Base64UrlDecode(s); }

TEST(Es256Test, VerifiesTheRfc7515ExampleFromJwkAndFromPem) {
  Result<Es256PublicKey> from_jwk = Es256PublicKey::FromJwk(kRfcX, kRfcY);
  ASSERT_OK(from_jwk);
  EXPECT_TRUE(from_jwk->Verify(kRfcSigningInput, Unb64(kRfcSignature)));
  EXPECT_FALSE(from_jwk->Verify(std::string(kRfcSigningInput) + "x", Unb64(kRfcSignature)));

  Result<Es256PublicKey> from_pem = Es256PublicKey::FromPem(kRfcPublicPem);
  ASSERT_OK(from_pem);
  EXPECT_TRUE(from_pem->Verify(kRfcSigningInput, Unb64(kRfcSignature)));
}

TEST(Es256Test, Rfc7515PrivateKeyExportsTheRfcJwk) {
  Result<Es256PrivateKey> key = Es256PrivateKey::FromPem(kRfcPrivatePem);
  ASSERT_OK(key);
  EXPECT_EQ(key->PublicPem(), kRfcPublicPem);
  EXPECT_EQ(key->PublicJwkJson("2011-04-29"),
            std::string(R"({"kty":"EC","crv":"P-256","x":")") + std::string(kRfcX) + R"(","y":")" +
                std::string(kRfcY) + R"(","kid":"2011-04-29","use":"sig","alg":"ES256"})");
}

TEST(Es256Test, SignVerifyRoundTripAndEveryKindOfMismatchFails) {
  Es256PrivateKey key = Es256PrivateKey::Generate();
  Es256PublicKey public_key = key.PublicKey();
  const std::string message = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ0ZWFjaGVyLTEifQ";
  std::string signature = key.Sign(message);
  EXPECT_EQ(signature.size(), kEs256SignatureBytes);
  EXPECT_TRUE(public_key.Verify(message, signature));
  EXPECT_NE(signature, key.Sign(message));  // randomised

  EXPECT_FALSE(public_key.Verify(message + "x", signature));
  for (size_t pos = 0; pos < signature.size(); ++pos) {
    std::string tampered = signature;
    tampered[pos] = static_cast<char>(tampered[pos] ^ 0x01);
    EXPECT_FALSE(public_key.Verify(message, tampered)) << "byte " << pos;
  }
  EXPECT_FALSE(public_key.Verify(message, signature.substr(0, 63)));
  EXPECT_FALSE(public_key.Verify(message, signature + '\0'));
  EXPECT_FALSE(public_key.Verify(message, ""));
  EXPECT_FALSE(public_key.Verify(message, std::string(64, '\0')));  // r = s = 0
  EXPECT_FALSE(Es256PrivateKey::Generate().PublicKey().Verify(message, signature));
}

TEST(Es256Test, JwkCoordinatesAre32BytesAndFromJwkVerifies) {
  Es256PrivateKey key = Es256PrivateKey::Generate();
  nlohmann::json jwk = nlohmann::json::parse(key.PublicJwkJson("k1"));
  EXPECT_EQ(jwk["kty"], "EC");
  EXPECT_EQ(jwk["crv"], "P-256");
  EXPECT_EQ(jwk["kid"], "k1");
  EXPECT_EQ(jwk["use"], "sig");
  EXPECT_EQ(jwk["alg"], "ES256");
  std::string x = jwk["x"].get<std::string>();
  std::string y = jwk["y"].get<std::string>();
  EXPECT_EQ(x.size(), 43u);
  EXPECT_EQ(Unb64(x).size(), 32u);
  EXPECT_EQ(Unb64(y).size(), 32u);
  Result<Es256PublicKey> from_jwk = Es256PublicKey::FromJwk(x, y);
  ASSERT_OK(from_jwk);
  EXPECT_TRUE(from_jwk->Verify("payload", key.Sign("payload")));
  EXPECT_FALSE(from_jwk->Verify("payload", Es256PrivateKey::Generate().Sign("payload")));
}

TEST(Es256Test, JwkKidIsJsonEscaped) {
  nlohmann::json jwk = nlohmann::json::parse(Es256PrivateKey::Generate().PublicJwkJson("a\"b\\c"));
  EXPECT_EQ(jwk["kid"], "a\"b\\c");
}

TEST(Es256Test, FromJwkRejectsBadEncodingsLengthsAndPointsOffTheCurve) {
  std::string y_bytes = Unb64(kRfcY);
  y_bytes[31] = static_cast<char>(y_bytes[31] ^ 0x01);
  const std::pair<std::string, std::string> bad[] = {
      {std::string(kRfcX) + "=", std::string(kRfcY)},                 // padding
      {std::string(kRfcX), "not base64!"},                            // alphabet
      {Base64UrlEncode(Unb64(kRfcX).substr(1)), std::string(kRfcY)},  // 31 bytes
      {std::string(kRfcX), Base64UrlEncode(Unb64(kRfcY) + '\0')},     // 33 bytes
      {std::string(kRfcX), Base64UrlEncode(y_bytes)},                 // not on the curve
      {"", ""},
  };
  for (const auto& [x, y] : bad) {
    Result<Es256PublicKey> key = Es256PublicKey::FromJwk(x, y);
    ASSERT_THAT(key, nemis::testing::IsErrorCode("bad_jwk")) << x << " " << y;
  }
}

TEST(Es256Test, PemRoundTrip) {
  Es256PrivateKey key = Es256PrivateKey::Generate();
  std::string pem = key.ToPem();
  Result<Es256PrivateKey> reloaded = Es256PrivateKey::FromPem(pem);
  ASSERT_OK(reloaded);
  EXPECT_EQ(reloaded->ToPem(), pem);
  EXPECT_EQ(reloaded->PublicJwkJson("k"), key.PublicJwkJson("k"));

  Result<Es256PublicKey> public_key = Es256PublicKey::FromPem(key.PublicPem());
  ASSERT_OK(public_key);
  EXPECT_TRUE(public_key->Verify("m", reloaded->Sign("m")));
}

TEST(Es256Test, FromPemRejectsGarbageAndOtherKeyKinds) {
  Sm2PrivateKey sm2 = Sm2PrivateKey::Generate();
  const std::string not_private[] = {"", "garbage", std::string(kRfcPublicPem), sm2.ToPem()};
  for (const std::string& pem : not_private) {
    Result<Es256PrivateKey> key = Es256PrivateKey::FromPem(pem);
    ASSERT_THAT(key, nemis::testing::IsErrorCode("bad_key")) << pem;
  }
  const std::string not_public[] = {"", "garbage", std::string(kRfcPrivatePem), sm2.PublicPem()};
  for (const std::string& pem : not_public) {
    Result<Es256PublicKey> key = Es256PublicKey::FromPem(pem);
    ASSERT_THAT(key, nemis::testing::IsErrorCode("bad_key")) << pem;
  }
}

}  // namespace
}  // namespace nemis::crypto
