// Enrolment by one-time code on both stores: a code for one province, used once, before it
// expires, with a proof that the sender holds the key; every refusal is the same answer and
// uses nothing up; the certificate issued is registered and trusted.
#include "exchange/node_enrolment.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "crypto/encoding.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "testing/result_matchers.hpp"
#include "testing/store_fixture.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;

constexpr int64_t kNow = 1796515200;  // 2026-12-06T00:00:00Z

class NodeEnrolmentTest : public nemis::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_OK(db::Migrate(db()));
    ASSERT_OK(org::OrgStore(db()).SeedDivisions("000000"));
    auto national = InitNationalNode(dir_.path() / "national", kNow);
    ASSERT_OK(national);
    national_.emplace(*national);
  }

  // What `nemis node enrol` sends for province `code` with `key`.
  EnrolmentRequest Request(const std::string& code, const std::string& enrolment_code,
                           const crypto::Sm2PrivateKey& key) {
    const std::string pem = key.PublicPem();
    return {code, enrolment_code, pem,
            crypto::Base64Encode(key.Sign(EnrolmentProofText(code, enrolment_code, pem)))};
  }

  Result<Enrolled> EnrolAt(const EnrolmentRequest& request, int64_t now = kNow + 60) {
    return Enrol(db(), dir_.path() / "national", request, now);
  }

  EnrolmentCode CodeFor(const std::string& province, int hours = 72) {
    auto code = CreateEnrolmentCode(db(), national_->ca, province, hours, kNow);
    EXPECT_OK(code);
    return code.ok() ? *code : EnrolmentCode{};
  }

  nemis::testing::TempDir dir_;
  std::optional<NodeIdentity> national_;
  crypto::Sm2PrivateKey key_ = crypto::Sm2PrivateKey::Generate();
};

TEST_P(NodeEnrolmentTest, ACodeEnrolsItsProvinceOnceAndTheCertificateIsTrusted) {
  EnrolmentCode code = CodeFor("440000");
  EXPECT_TRUE(std::regex_match(code.code, std::regex("[A-Z2-7]{4}(-[A-Z2-7]{4}){5}"))) << code.code;
  EXPECT_EQ(code.ca_fingerprint, CaFingerprint(national_->ca));
  EXPECT_EQ(code.ca_fingerprint.size(), 32u);
  EXPECT_EQ(code.expires_at, kNow + 72 * 3600);
  // The code only as a digest in the store.
  auto stored = db().Read<std::string>([](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT code_digest FROM exchange_enrolment"));
    return rs.rows.at(0).Text(0);
  });
  ASSERT_OK(stored);
  EXPECT_EQ(stored->find(code.code.substr(0, 4)), std::string::npos);

  auto enrolled = EnrolAt(Request("440000", code.code, key_));
  ASSERT_OK(enrolled);
  EXPECT_EQ(enrolled->certificate.Subject(), (crypto::CertificateSubject{"440000", "provincial"}));
  EXPECT_EQ(enrolled->certificate.PublicKey().ToPem(), key_.PublicPem());
  EXPECT_EQ(CaFingerprint(enrolled->ca), code.ca_fingerprint);
  EXPECT_OK(db().WithReader([&](db::Connection& c) {
    return TrustNode(c, *national_, enrolled->certificate, "440000", kNow + 120);
  }));
  // Used up.
  EXPECT_THAT(EnrolAt(Request("440000", code.code, key_)), IsErrorCode("enrolment_refused"));
}

TEST_P(NodeEnrolmentTest, EveryRefusalIsTheSameAndUsesNothingUp) {
  EnrolmentCode code = CodeFor("440000", 1);
  // Another province's, an unknown and an expired code: one answer.
  EXPECT_THAT(EnrolAt(Request("450000", code.code, key_)), IsErrorCode("enrolment_refused"));
  EXPECT_THAT(EnrolAt(Request("440000", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", key_)),
              IsErrorCode("enrolment_refused"));
  EXPECT_THAT(EnrolAt(Request("440000", code.code, key_), kNow + 3600),
              IsErrorCode("enrolment_refused"));
  // A proof signed by another key than the one sent.
  EnrolmentRequest forged = Request("440000", code.code, key_);
  forged.public_key_pem = crypto::Sm2PrivateKey::Generate().PublicPem();
  EXPECT_THAT(EnrolAt(forged), IsErrorCode("bad_proof"));
  forged.proof = "not base64!";
  EXPECT_THAT(EnrolAt(forged), IsErrorCode("bad_proof"));
  // None of them used the code: typed in lower case and without dashes, it still enrols.
  std::string typed;
  for (char ch : code.code) {
    if (ch != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  ASSERT_OK(EnrolAt(Request("440000", typed, key_)));
}

TEST_P(NodeEnrolmentTest, CodesAreForProvincesOfTheTreeForABoundedTime) {
  EXPECT_THAT(CreateEnrolmentCode(db(), national_->ca, "990000", 72, kNow),
              IsErrorCode("bad_node_code"));
  EXPECT_THAT(CreateEnrolmentCode(db(), national_->ca, "440000", 0, kNow),
              IsErrorCode("bad_parameter"));
  EXPECT_THAT(CreateEnrolmentCode(db(), national_->ca, "440000", 721, kNow),
              IsErrorCode("bad_parameter"));
  EXPECT_NE(CodeFor("440000").code, CodeFor("440000").code);
}

NEMIS_STORE_TEST_SUITE(NodeEnrolmentTest);

}  // namespace
}  // namespace nemis::exchange
