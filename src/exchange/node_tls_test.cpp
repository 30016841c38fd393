// A node's TLS identity: its P-256 key made once, owner-only; certified by the national CA for
// the node its node certificate names, never beyond that certificate's expiry; installed only
// when it is the CA's, for this node, for this key and valid (nothing written otherwise);
// loaded with the node's identity; and a connection's certificate matched to the request's
// signer.
#include "exchange/node_tls.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "crypto/es256.hpp"
#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::exchange {
namespace {

namespace fs = std::filesystem;
using nemis::testing::IsErrorCode;

constexpr int64_t kNow = 1796515200;  // 2026-12-06T00:00:00Z

class NodeTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto national = InitNationalNode(national_dir_, kNow);
    ASSERT_OK(national);
    national_.emplace(*national);
    auto ca = LoadCertificateAuthority(national_dir_);
    ASSERT_OK(ca);
    ca_.emplace(*ca);
    auto province_key = InitProvincialNode(province_dir_, "440000");
    ASSERT_OK(province_key);
    auto certificate = MakeNodeCertificate(national_dir_, "440000", *province_key, kNow);
    ASSERT_OK(certificate);
    ASSERT_OK(
        InstallNodeCertificate(province_dir_, certificate->ToPem(), national_->ca.ToPem(), kNow));
    auto province = LoadNodeIdentity(province_dir_);
    ASSERT_OK(province);
    province_.emplace(*province);
  }

  // The province's TLS certificate for the key in its folder, as the national node issues it.
  std::string ProvinceCertificate(int64_t now = kNow) {
    auto public_pem = EnsureTlsKey(province_dir_);
    EXPECT_OK(public_pem);
    auto pem = IssueTlsCertificate(*ca_, province_->certificate, *public_pem, now);
    EXPECT_OK(pem);
    return pem.ok() ? *pem : "";
  }

  testing::TempDir tmp_;
  fs::path national_dir_ = tmp_.path() / "national";
  fs::path province_dir_ = tmp_.path() / "province";
  std::optional<NodeIdentity> national_, province_;
  std::optional<CertificateAuthority> ca_;
};

TEST_F(NodeTlsTest, TheTlsKeyIsMadeOnceOwnerOnly) {
  auto first = EnsureTlsKey(province_dir_);
  ASSERT_OK(first);
  EXPECT_NE(first->find("BEGIN PUBLIC KEY"), std::string::npos);
  const auto perms = fs::status(province_dir_ / kTlsKeyFile).permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  auto second = EnsureTlsKey(province_dir_);
  ASSERT_OK(second);
  EXPECT_EQ(*second, *first);
}

TEST_F(NodeTlsTest, AnInstalledCertificateIsLoadedWithTheNodesIdentity) {
  EXPECT_FALSE(province_->tls.has_value());
  const std::string pem = ProvinceCertificate();
  ASSERT_OK(InstallTlsCertificate(province_dir_, *province_, pem, kNow));
  EXPECT_TRUE(province_->tls.has_value());
  EXPECT_NE(province_->tls_client, nullptr);

  auto loaded = LoadNodeIdentity(province_dir_);
  ASSERT_OK(loaded);
  ASSERT_TRUE(loaded->tls.has_value());
  EXPECT_EQ(loaded->tls->certificate_pem, pem);
  EXPECT_EQ(loaded->tls->ca_pem, national_->ca.ToPem());
  auto info = crypto::Sm2Certificate::ReadTls(pem, national_->ca, kNow);
  ASSERT_OK(info);
  EXPECT_EQ(info->subject.common_name, "440000");
  EXPECT_EQ(info->subject.organizational_unit, "provincial");
}

TEST_F(NodeTlsTest, ATlsCertificateNeverOutlivesTheNodeCertificate) {
  const int64_t later = kNow + 86400 * 100;
  auto info = crypto::Sm2Certificate::ReadTls(ProvinceCertificate(later), national_->ca, later);
  ASSERT_OK(info);
  EXPECT_EQ(info->validity.not_after, province_->certificate.Validity().not_after);
  EXPECT_EQ(info->validity.not_before, later - 60);
}

TEST_F(NodeTlsTest, OnlyAP256KeyIsCertified) {
  EXPECT_THAT(IssueTlsCertificate(*ca_, province_->certificate, province_->key.PublicPem(), kNow),
              IsErrorCode("bad_key"));
  EXPECT_THAT(IssueTlsCertificate(*ca_, province_->certificate, "not a key", kNow),
              IsErrorCode("bad_key"));
}

TEST_F(NodeTlsTest, ACertificateForAnotherNodeOrKeyOrFromAnotherCaIsNotInstalled) {
  // Another node's: the national node's own TLS certificate.
  auto national_key = EnsureTlsKey(national_dir_);
  ASSERT_OK(national_key);
  auto national_pem = IssueTlsCertificate(*ca_, national_->certificate, *national_key, kNow);
  ASSERT_OK(national_pem);
  EXPECT_THAT(InstallTlsCertificate(province_dir_, *province_, *national_pem, kNow),
              IsErrorCode("tls_certificate_mismatch"));
  // For another key than the one in the province's folder.
  auto other_pem = IssueTlsCertificate(*ca_, province_->certificate,
                                       crypto::Es256PrivateKey::Generate().PublicPem(), kNow);
  ASSERT_OK(other_pem);
  EXPECT_THAT(InstallTlsCertificate(province_dir_, *province_, *other_pem, kNow),
              IsErrorCode("tls_certificate_mismatch"));
  // From another CA.
  testing::TempDir elsewhere;
  ASSERT_OK(InitNationalNode(elsewhere.path() / "keys", kNow));
  auto stranger = LoadCertificateAuthority(elsewhere.path() / "keys");
  ASSERT_OK(stranger);
  auto public_pem = EnsureTlsKey(province_dir_);
  ASSERT_OK(public_pem);
  auto foreign = IssueTlsCertificate(*stranger, province_->certificate, *public_pem, kNow);
  ASSERT_OK(foreign);
  EXPECT_THAT(InstallTlsCertificate(province_dir_, *province_, *foreign, kNow),
              IsErrorCode("certificate_untrusted"));
  // Expired, and not a certificate at all.
  const std::string pem = ProvinceCertificate();
  EXPECT_THAT(InstallTlsCertificate(province_dir_, *province_, pem,
                                    province_->certificate.Validity().not_after + 1),
              IsErrorCode("certificate_expired"));
  EXPECT_THAT(InstallTlsCertificate(province_dir_, *province_, "garbage", kNow),
              IsErrorCode("bad_certificate"));

  EXPECT_FALSE(fs::exists(province_dir_ / kTlsCertificateFile));
  EXPECT_FALSE(province_->tls.has_value());
}

TEST_F(NodeTlsTest, AKeyFileThatIsNotTheCertificatesDoesNotLoad) {
  ASSERT_OK(InstallTlsCertificate(province_dir_, *province_, ProvinceCertificate(), kNow));
  std::ofstream(province_dir_ / kTlsKeyFile, std::ios::trunc)
      << crypto::Es256PrivateKey::Generate().ToPem();
  EXPECT_THAT(LoadNodeIdentity(province_dir_), IsErrorCode("bad_tls_identity"));
}

TEST_F(NodeTlsTest, TheConnectionsCertificateMustBeTheSigners) {
  const std::string pem = ProvinceCertificate();
  EXPECT_OK(CheckTlsPeer(*national_, pem, "440000", kNow));
  EXPECT_THAT(CheckTlsPeer(*national_, pem, "450000", kNow), IsErrorCode("certificate_mismatch"));
}

}  // namespace
}  // namespace nemis::exchange
