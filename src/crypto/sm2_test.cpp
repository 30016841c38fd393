#include "crypto/sm2.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "crypto/es256.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::crypto {
namespace {

// The signature example of GM/T 0003.5-2012 appendix A (recommended curve, user ID
// "1234567812345678", message "message digest"): private key
// 3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8, public point
// (09F9DF31...56F35020, CCEA490C...2DA9AD13), signature r = F5A03B06...EEE720B3,
// s = B1B6AA29...85BBC1AA. The PEM and DER wrappings were built from those numbers.
constexpr std::string_view kGmtPublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAECfnfMR5UIaFQ3X0WHkvFxnIXn60Y\n"
    "M/wHa7CP81bzUCDM6kkM4md1pS3G6nGMwapgCu0F+/NeCEpmMvYHLamtEw==\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view kGmtPrivatePem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQgOUUgj3shRLE/NuOK\n"
    "xtOflYiTk2koYLUaQvuB7033xbihRANCAAQJ+d8xHlQhoVDdfRYeS8XGchefrRgz\n"
    "/AdrsI/zVvNQIMzqSQziZ3WlLcbqcYzBqmAK7QX7814ISmYy9gctqa0T\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kGmtSignatureDer =
    "3046022100f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
    "022100b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa";
constexpr std::string_view kGmtMessage = "message digest";
// The same key and message signed by `openssl dgst -sm3 -sigopt distid:ALICE123@YAHOO.COM`:
// valid, but for another user ID.
constexpr std::string_view kAliceIdSignatureDer =
    "304502207cf38cf9b6e381afe84c19f0cb3b8b1d7df77958e75fea34c91d37caba105ef1"
    "022100b7f717b7a0718108b9079e4d27ada48669a44b7bc75603f976e1034e3b69eebc";
// kGmtPrivatePem encrypted with the passphrase "secret".
constexpr std::string_view kEncryptedPem =
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
    "MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjMwn7fjQSmMQICCAAw\n"
    "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEIs8UaJRczTml4shsZB7vRgEgZDo\n"
    "r3KZI5pc95lFWtI24/oDOUW2Xpk+4HUFHYvVrDRgJ+VxDia7Q+1mZY48f33ReObU\n"
    "Ach6OCKZxNpq2L1rOXcka0urGauhzXjJl4Rhu6iBWyivE2p3fsVuSBvMCstLhE7K\n"
    "Bm626/1YyXwO+fRxAJ/h7eb4L03jzuFErWEGL7C3klzMbc86nwxytBi93BTUiMc=\n"
    "-----END ENCRYPTED PRIVATE KEY-----\n";

std::string Hex(std::string_view hex) { return *FromHex(hex); }

TEST(Sm2Test, VerifiesTheGmT0003SignatureExampleWithTheDefaultUserId) {
  Result<Sm2PublicKey> key = Sm2PublicKey::FromPem(kGmtPublicPem);
  ASSERT_OK(key);
  EXPECT_TRUE(key->Verify(kGmtMessage, Hex(kGmtSignatureDer)));
  EXPECT_FALSE(key->Verify("message digesT", Hex(kGmtSignatureDer)));
  // Signed for another user ID: the ID is part of what is signed.
  EXPECT_FALSE(key->Verify(kGmtMessage, Hex(kAliceIdSignatureDer)));
}

TEST(Sm2Test, StandardPrivateKeyDerivesTheStandardPublicKeyAndSigns) {
  Result<Sm2PrivateKey> key = Sm2PrivateKey::FromPem(kGmtPrivatePem);
  ASSERT_OK(key);
  EXPECT_EQ(key->PublicPem(), kGmtPublicPem);
  std::string signature = key->Sign(kGmtMessage);
  EXPECT_TRUE(Sm2PublicKey::FromPem(kGmtPublicPem)->Verify(kGmtMessage, signature));
}

TEST(Sm2Test, SignVerifyRoundTripAndEveryKindOfMismatchFails) {
  Sm2PrivateKey key = Sm2PrivateKey::Generate();
  Sm2PublicKey public_key = key.PublicKey();
  const std::string message = "学籍变更 G11010519491231002X 转出";
  std::string signature = key.Sign(message);
  EXPECT_TRUE(public_key.Verify(message, signature));
  EXPECT_TRUE(public_key.Verify("", key.Sign("")));

  EXPECT_FALSE(public_key.Verify(message + " ", signature));
  EXPECT_FALSE(public_key.Verify("", signature));
  for (size_t pos = 0; pos < signature.size(); ++pos) {
    std::string tampered = signature;
    tampered[pos] = static_cast<char>(tampered[pos] ^ 0x01);
    EXPECT_FALSE(public_key.Verify(message, tampered)) << "byte " << pos;
  }
  EXPECT_FALSE(public_key.Verify(message, signature.substr(0, signature.size() - 1)));
  EXPECT_FALSE(public_key.Verify(message, ""));
  EXPECT_FALSE(public_key.Verify(message, std::string(64, '\x01')));
  EXPECT_FALSE(Sm2PrivateKey::Generate().PublicKey().Verify(message, signature));
}

TEST(Sm2Test, SignaturesAreRandomisedAndKeysCopyable) {
  Sm2PrivateKey key = Sm2PrivateKey::Generate();
  Sm2PrivateKey copy = key;
  std::string a = key.Sign("m");
  std::string b = copy.Sign("m");
  EXPECT_NE(a, b);
  EXPECT_TRUE(key.PublicKey().Verify("m", b));
  EXPECT_TRUE(copy.PublicKey().Verify("m", a));
}

TEST(Sm2Test, PemRoundTripOfPrivateAndPublicKeys) {
  Sm2PrivateKey key = Sm2PrivateKey::Generate();
  std::string pem = key.ToPem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);
  Result<Sm2PrivateKey> reloaded = Sm2PrivateKey::FromPem(pem);
  ASSERT_OK(reloaded);
  EXPECT_EQ(reloaded->ToPem(), pem);
  EXPECT_EQ(reloaded->PublicPem(), key.PublicPem());

  Result<Sm2PublicKey> public_key = Sm2PublicKey::FromPem(key.PublicPem());
  ASSERT_OK(public_key);
  EXPECT_TRUE(public_key->Verify("bundle", reloaded->Sign("bundle")));
  EXPECT_TRUE(reloaded->PublicKey().Verify("bundle", key.Sign("bundle")));
}

TEST(Sm2Test, FromPemRejectsGarbageOtherKeyKindsAndEncryptedKeys) {
  std::string sm2_pem = Sm2PrivateKey::Generate().ToPem();
  Es256PrivateKey p256 = Es256PrivateKey::Generate();
  const std::string not_private[] = {"",
                                     "garbage",
                                     sm2_pem.substr(0, sm2_pem.size() / 2),
                                     std::string(kGmtPublicPem),
                                     p256.ToPem(),
                                     std::string(kEncryptedPem)};
  for (const std::string& pem : not_private) {
    Result<Sm2PrivateKey> key = Sm2PrivateKey::FromPem(pem);
    ASSERT_THAT(key, nemis::testing::IsErrorCode("bad_key")) << pem;
  }
  const std::string not_public[] = {"", "garbage", std::string(kGmtPrivatePem), p256.PublicPem()};
  for (const std::string& pem : not_public) {
    Result<Sm2PublicKey> key = Sm2PublicKey::FromPem(pem);
    ASSERT_THAT(key, nemis::testing::IsErrorCode("bad_key")) << pem;
  }
}

}  // namespace
}  // namespace nemis::crypto
