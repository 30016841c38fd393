#include "crypto/sm2_certificate.hpp"

#include <gtest/gtest.h>

#include "crypto/es256.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::crypto {
namespace {

constexpr int64_t kNow = 1796515200;  // 2026-12-06T00:00:00Z
constexpr int64_t kYear = 365 * 86400;

struct Ca {
  Sm2PrivateKey key = Sm2PrivateKey::Generate();
  Sm2Certificate cert =
      Sm2Certificate::SelfSignCa(key, {"000000", "ca"}, {kNow - 60, kNow + kYear});
};

TEST(Sm2CertificateTest, IssuedCertificateNamesTheNodeAndChecksAgainstItsCa) {
  Ca ca;
  Sm2PrivateKey node = Sm2PrivateKey::Generate();
  Sm2Certificate cert = Sm2Certificate::Issue(ca.key, ca.cert, node.PublicKey(),
                                              {"440000", "provincial"}, {kNow, kNow + kYear});
  EXPECT_EQ(cert.Subject(), (CertificateSubject{"440000", "provincial"}));
  EXPECT_FALSE(cert.IsCa());
  EXPECT_TRUE(ca.cert.IsCa());
  EXPECT_EQ(cert.Validity().not_before, kNow);
  EXPECT_EQ(cert.Validity().not_after, kNow + kYear);
  EXPECT_OK(cert.CheckIssuedBy(ca.cert, kNow + 10));
  // The certificate's key is the node's: what it signs verifies with it.
  EXPECT_TRUE(cert.PublicKey().Verify("batch", node.Sign("batch")));
  EXPECT_EQ(cert.PublicKey().ToPem(), node.PublicPem());
}

TEST(Sm2CertificateTest, PemRoundTripKeepsEverythingAndStillVerifies) {
  Ca ca;
  Sm2Certificate cert =
      Sm2Certificate::Issue(ca.key, ca.cert, Sm2PrivateKey::Generate().PublicKey(),
                            {"110000", "provincial"}, {kNow, kNow + kYear});
  Result<Sm2Certificate> read = Sm2Certificate::FromPem(cert.ToPem());
  ASSERT_OK(read);
  EXPECT_EQ(read->ToPem(), cert.ToPem());
  EXPECT_EQ(read->SerialHex(), cert.SerialHex());
  EXPECT_EQ(read->Subject(), cert.Subject());
  Result<Sm2Certificate> ca_read = Sm2Certificate::FromPem(ca.cert.ToPem());
  ASSERT_OK(ca_read);
  EXPECT_OK(read->CheckIssuedBy(*ca_read, kNow));
}

TEST(Sm2CertificateTest, SerialNumbersDiffer) {
  Ca ca;
  Sm2PublicKey key = Sm2PrivateKey::Generate().PublicKey();
  std::string a =
      Sm2Certificate::Issue(ca.key, ca.cert, key, {"1", "p"}, {kNow, kNow + 1}).SerialHex();
  std::string b =
      Sm2Certificate::Issue(ca.key, ca.cert, key, {"1", "p"}, {kNow, kNow + 1}).SerialHex();
  EXPECT_NE(a, b);
  EXPECT_GE(a.size(), 16u);
}

TEST(Sm2CertificateTest, AnotherCaOrALeafAsIssuerIsUntrusted) {
  Ca ca, other;
  Sm2PrivateKey node = Sm2PrivateKey::Generate();
  Sm2Certificate cert = Sm2Certificate::Issue(ca.key, ca.cert, node.PublicKey(),
                                              {"440000", "provincial"}, {kNow, kNow + kYear});
  // Same subject name as the real CA, other key: the signature decides.
  EXPECT_THAT(cert.CheckIssuedBy(other.cert, kNow), testing::IsErrorCode("certificate_untrusted"));
  // A leaf cannot issue.
  Sm2Certificate forged = Sm2Certificate::Issue(node, cert, node.PublicKey(),
                                                {"440000", "provincial"}, {kNow, kNow + kYear});
  EXPECT_THAT(forged.CheckIssuedBy(cert, kNow), testing::IsErrorCode("certificate_untrusted"));
  // A self-signed look-alike of the CA.
  Sm2Certificate self = Sm2Certificate::SelfSignCa(node, {"000000", "ca"}, {kNow, kNow + kYear});
  EXPECT_THAT(self.CheckIssuedBy(ca.cert, kNow), testing::IsErrorCode("certificate_untrusted"));
}

TEST(Sm2CertificateTest, OutsideItsValidityIsExpired) {
  Ca ca;
  Sm2Certificate cert =
      Sm2Certificate::Issue(ca.key, ca.cert, Sm2PrivateKey::Generate().PublicKey(),
                            {"440000", "provincial"}, {kNow, kNow + 100});
  EXPECT_OK(cert.CheckIssuedBy(ca.cert, kNow + 100));
  EXPECT_THAT(cert.CheckIssuedBy(ca.cert, kNow + 101), testing::IsErrorCode("certificate_expired"));
  EXPECT_THAT(cert.CheckIssuedBy(ca.cert, kNow - 1), testing::IsErrorCode("certificate_expired"));
}

TEST(Sm2CertificateTest, TamperedPemIsRefusedOrUntrusted) {
  Ca ca;
  std::string pem = Sm2Certificate::Issue(ca.key, ca.cert, Sm2PrivateKey::Generate().PublicKey(),
                                          {"440000", "provincial"}, {kNow, kNow + kYear})
                        .ToPem();
  EXPECT_THAT(Sm2Certificate::FromPem("not a certificate"),
              testing::IsErrorCode("bad_certificate"));
  EXPECT_THAT(Sm2Certificate::FromPem(""), testing::IsErrorCode("bad_certificate"));
  // Change one base64 character inside the body (the subject area, well past the header).
  std::string tampered = pem;
  size_t pos = tampered.find('\n', 40) + 30;
  tampered[pos] = tampered[pos] == 'A' ? 'B' : 'A';
  Result<Sm2Certificate> read = Sm2Certificate::FromPem(tampered);
  if (read.ok()) {
    EXPECT_FALSE(read->CheckIssuedBy(ca.cert, kNow).ok());
  } else {
    EXPECT_EQ(read.error().code, "bad_certificate");
  }
}

TEST(Sm2EncryptionTest, OnlyThePrivateKeyOpensWhatWasSealedForIt) {
  Sm2PrivateKey receiver = Sm2PrivateKey::Generate();
  const std::string secret(48, '\x5a');
  std::string sealed = receiver.PublicKey().Encrypt(secret);
  EXPECT_NE(sealed.find(secret), 0u);
  EXPECT_EQ(*receiver.Decrypt(sealed), secret);
  // Randomised: sealing twice differs.
  EXPECT_NE(receiver.PublicKey().Encrypt(secret), sealed);
  EXPECT_THAT(Sm2PrivateKey::Generate().Decrypt(sealed), testing::IsErrorCode("bad_ciphertext"));
  std::string tampered = sealed;
  tampered[tampered.size() - 1] = static_cast<char>(tampered.back() ^ 1);
  EXPECT_THAT(receiver.Decrypt(tampered), testing::IsErrorCode("bad_ciphertext"));
  EXPECT_THAT(receiver.Decrypt("short"), testing::IsErrorCode("bad_ciphertext"));
}

}  // namespace
}  // namespace nemis::crypto
