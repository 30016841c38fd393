// Node identities: the national node's CA and certificate and a province's key written to
// the key folder (private keys owner-only, never overwritten); province codes checked; a
// province's certificate issued, registered and installed only for its own key from its own
// CA; and whom a node trusts: the CA's certificates naming the node, valid now, registered on
// the national node, neither revoked nor replaced.
#include "exchange/node_identity.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::exchange {
namespace {

namespace fs = std::filesystem;
using nemis::testing::IsErrorCode;
using nemis::testing::IsErrorKind;

constexpr int64_t kNow = 1796515200;  // 2026-12-06T00:00:00Z
constexpr int64_t kExpired = kNow + kNodeValiditySeconds + 120;

bool OwnerOnly(const fs::path& p) {
  return (fs::status(p).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
         fs::perms::none;
}

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(NodeIdentityTest, TheNationalNodeWritesItsCaAndCertificateWithPrivateKeysOwnerOnly) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "keys";
  auto made = InitNationalNode(dir, kNow);
  ASSERT_OK(made);
  for (const char* file : {"ca.crt", "ca_sm2.pem", "node.crt", "node_sm2.pem"}) {
    EXPECT_TRUE(fs::exists(dir / file)) << file;
  }
  EXPECT_TRUE(OwnerOnly(dir / "node_sm2.pem"));
  EXPECT_TRUE(OwnerOnly(dir / "ca_sm2.pem"));
  EXPECT_TRUE(OwnerOnly(dir));

  auto loaded = LoadNodeIdentity(dir);
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->code, "000000");
  EXPECT_EQ(loaded->role, NodeRole::kNational);
  EXPECT_TRUE(loaded->ca.IsCa());
  EXPECT_OK(loaded->certificate.CheckIssuedBy(loaded->ca, kNow));
  EXPECT_EQ(loaded->certificate.SerialHex(), made->certificate.SerialHex());
  EXPECT_EQ(loaded->key.PublicPem(), made->key.PublicPem());

  const std::string key_before = ReadText(dir / "node_sm2.pem");
  EXPECT_THAT(InitNationalNode(dir, kNow), IsErrorCode("node_exists"));
  EXPECT_EQ(ReadText(dir / "node_sm2.pem"), key_before);
}

TEST(NodeIdentityTest, AProvinceMakesItsKeyUnderAProvinceCodeOnly) {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "keys";
  EXPECT_THAT(LoadNodeIdentity(dir), IsErrorCode("node_not_initialised"));
  auto pub = InitProvincialNode(dir, "440000");
  ASSERT_OK(pub);
  EXPECT_NE(pub->find("BEGIN PUBLIC KEY"), std::string::npos);
  EXPECT_OK(crypto::Sm2PublicKey::FromPem(*pub));
  EXPECT_TRUE(OwnerOnly(dir / "node_sm2.pem"));
  // No certificate installed yet.
  EXPECT_THAT(LoadNodeIdentity(dir), IsErrorCode("node_not_initialised"));
  EXPECT_THAT(InitProvincialNode(dir, "440000"), IsErrorCode("node_exists"));

  for (const char* code : {"440100", "000000", "44000", "abcdef"}) {
    const fs::path bad = tmp.path() / (std::string("bad-") + code);
    EXPECT_THAT(InitProvincialNode(bad, code), IsErrorCode("bad_node_code")) << code;
    EXPECT_FALSE(fs::exists(bad / "node_sm2.pem")) << code;
  }
}

TEST(NodeIdentityTest, RolesParseByTheirIds) {
  EXPECT_EQ(NodeRoleId(NodeRole::kNational), "national");
  EXPECT_EQ(NodeRoleId(NodeRole::kProvincial), "provincial");
  ASSERT_OK(ParseNodeRole("provincial"));
  EXPECT_EQ(*ParseNodeRole("national"), NodeRole::kNational);
  EXPECT_THAT(ParseNodeRole("ca"), IsErrorCode("bad_role"));
}

class NodeIdentityStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    ASSERT_OK(org::OrgStore(db()).SeedDivisions("000000"));  // the provinces it certifies
    auto national = InitNationalNode(national_dir_, kNow);
    ASSERT_OK(national);
    national_.emplace(*national);
    auto pub = InitProvincialNode(province_dir_, "440000");
    ASSERT_OK(pub);
    province_pub_ = *pub;
  }

  crypto::Sm2Certificate Issue(const std::string& code, const std::string& pub,
                               int64_t now = kNow) {
    auto cert = IssueNodeCertificate(db(), national_dir_, code, pub, now);
    EXPECT_OK(cert);
    if (cert.ok()) return std::move(cert).value();
    // Failed (recorded above): a certificate nothing trusts, so the test goes on failing.
    return crypto::Sm2Certificate::SelfSignCa(crypto::Sm2PrivateKey::Generate(), {code, "ca"},
                                              {now, now + 1});
  }

  Status Trust(const NodeIdentity& self, const crypto::Sm2Certificate& cert, std::string_view code,
               int64_t now = kNow) {
    return db().WithReader([&](db::Connection& c) { return TrustNode(c, self, cert, code, now); });
  }

  testing::TempDir keys_;
  const fs::path national_dir_ = keys_.path() / "national";
  const fs::path province_dir_ = keys_.path() / "province";
  std::optional<NodeIdentity> national_;
  std::string province_pub_;
};

TEST_P(NodeIdentityStoreTest, AnIssuedCertificateIsRegisteredAndInstalledByTheProvince) {
  crypto::Sm2Certificate cert = Issue("440000", province_pub_);
  EXPECT_EQ(cert.Subject(), (crypto::CertificateSubject{"440000", "provincial"}));
  ASSERT_OK(InstallNodeCertificate(province_dir_, cert.ToPem(), national_->ca.ToPem(), kNow));
  auto province = LoadNodeIdentity(province_dir_);
  ASSERT_OK(province);
  EXPECT_EQ(province->code, "440000");
  EXPECT_EQ(province->role, NodeRole::kProvincial);
  EXPECT_EQ(province->certificate.SerialHex(), cert.SerialHex());
  EXPECT_EQ(province->ca.SerialHex(), national_->ca.SerialHex());
  EXPECT_EQ(province->key.PublicPem(), province_pub_);
  EXPECT_THAT(InstallNodeCertificate(province_dir_, cert.ToPem(), national_->ca.ToPem(), kNow),
              IsErrorCode("node_exists"));
  EXPECT_THAT(IssueNodeCertificate(db(), national_dir_, "440100", province_pub_, kNow),
              IsErrorCode("bad_node_code"));
  // The shape of a province's code, but no province of the division tree.
  EXPECT_THAT(IssueNodeCertificate(db(), national_dir_, "990000", province_pub_, kNow),
              IsErrorCode("bad_node_code"));
}

TEST_P(NodeIdentityStoreTest, AProvinceInstallsOnlyItsOwnKeysCertificateFromItsCa) {
  const std::string ca = national_->ca.ToPem();
  // Issued for another key.
  crypto::Sm2Certificate other_key = Issue("440000", crypto::Sm2PrivateKey::Generate().PublicPem());
  EXPECT_THAT(InstallNodeCertificate(province_dir_, other_key.ToPem(), ca, kNow),
              IsErrorCode("certificate_key_mismatch"));
  // Issued for this key by another CA of the same name.
  crypto::Sm2PrivateKey rogue_key = crypto::Sm2PrivateKey::Generate();
  crypto::Sm2Certificate rogue_ca = crypto::Sm2Certificate::SelfSignCa(
      rogue_key, {"000000", "ca"}, {kNow - 60, kNow + kCaValiditySeconds});
  auto pub = crypto::Sm2PublicKey::FromPem(province_pub_);
  ASSERT_OK(pub);
  crypto::Sm2Certificate rogue = crypto::Sm2Certificate::Issue(
      rogue_key, rogue_ca, *pub, {"440000", "provincial"}, {kNow - 60, kNow + 3600});
  EXPECT_THAT(InstallNodeCertificate(province_dir_, rogue.ToPem(), ca, kNow),
              IsErrorCode("certificate_untrusted"));
  // Out of its validity.
  crypto::Sm2Certificate mine = Issue("440000", province_pub_);
  EXPECT_THAT(InstallNodeCertificate(province_dir_, mine.ToPem(), ca, kExpired),
              IsErrorCode("certificate_expired"));
  // Nothing was installed by the refusals.
  EXPECT_FALSE(fs::exists(province_dir_ / "node.crt"));
  EXPECT_THAT(LoadNodeIdentity(province_dir_), IsErrorCode("node_not_initialised"));
  EXPECT_OK(InstallNodeCertificate(province_dir_, mine.ToPem(), ca, kNow));
}

TEST_P(NodeIdentityStoreTest, TheNationalNodeTrustsTheCurrentCertificateOfANodeItCertified) {
  crypto::Sm2Certificate first = Issue("440000", province_pub_);
  EXPECT_OK(Trust(*national_, first, "440000"));
  EXPECT_THAT(Trust(*national_, first, "110000"), IsErrorCode("certificate_untrusted"));
  EXPECT_THAT(Trust(*national_, first, "440000", kExpired), IsErrorCode("certificate_expired"));

  // Certified again: the earlier certificate is replaced.
  crypto::Sm2Certificate second = Issue("440000", province_pub_, kNow + 10);
  ASSERT_NE(second.SerialHex(), first.SerialHex());
  EXPECT_THAT(Trust(*national_, first, "440000"), IsErrorCode("node_revoked"));
  EXPECT_OK(Trust(*national_, second, "440000"));

  ASSERT_OK(RevokeNode(db(), "440000", kNow));
  EXPECT_THAT(Trust(*national_, second, "440000"), IsErrorCode("node_revoked"));
  EXPECT_THAT(RevokeNode(db(), "450000", kNow), IsErrorKind(ErrorKind::kNotFound));
}

TEST_P(NodeIdentityStoreTest, ACaSignedCertificateOfANodeNeverIssuedIsUnknown) {
  auto ca_key = crypto::Sm2PrivateKey::FromPem(ReadText(national_dir_ / "ca_sm2.pem"));
  ASSERT_OK(ca_key);
  crypto::Sm2Certificate forged = crypto::Sm2Certificate::Issue(
      *ca_key, national_->ca, crypto::Sm2PrivateKey::Generate().PublicKey(),
      {"450000", "provincial"}, {kNow - 60, kNow + 3600});
  ASSERT_OK(forged.CheckIssuedBy(national_->ca, kNow));
  EXPECT_THAT(Trust(*national_, forged, "450000"), IsErrorCode("node_unknown"));
}

TEST_P(NodeIdentityStoreTest, AProvinceTrustsTheNationalNodeFromTheCaAlone) {
  ASSERT_OK(InstallNodeCertificate(province_dir_, Issue("440000", province_pub_).ToPem(),
                                   national_->ca.ToPem(), kNow));
  auto province = LoadNodeIdentity(province_dir_);
  ASSERT_OK(province);
  auto rows = db().Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs,
                           c.Query("SELECT COUNT(*) FROM exchange_node WHERE code = '000000'"));
    return rs.rows.at(0).Int(0);
  });
  ASSERT_OK(rows);
  EXPECT_EQ(*rows, 0);
  EXPECT_OK(Trust(*province, national_->certificate, "000000"));
  EXPECT_THAT(Trust(*province, national_->certificate, "110000"),
              IsErrorCode("certificate_untrusted"));
  EXPECT_THAT(Trust(*province, national_->certificate, "000000", kExpired),
              IsErrorCode("certificate_expired"));
}

NEMIS_STORE_TEST_SUITE(NodeIdentityStoreTest);

}  // namespace
}  // namespace nemis::exchange
