// TOTP enrolment and second-factor checks, on both back ends.
#include "identity/mfa_store.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "identity/account_store.hpp"
#include "identity/identity_testing.hpp"
#include "identity/principal.hpp"
#include "identity/totp.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

class MfaStoreTest : public IdentityStoreTest {
 protected:
  void SetUp() override {
    IdentityStoreTest::SetUp();
    AccountStore accounts(db(), settings_, clock_);
    auto created = accounts.Create(
        {"sec.admin", "安全员", "440000", "Abcdefgh1234", false, {{"security_admin", "440000"}}});
    ASSERT_OK(created);
    account_ = created->id;
  }
  std::string CodeNow(const TotpEnrolment& e, int offset_steps = 0) {
    auto secret = TotpSecret::FromBase32(e.secret);
    EXPECT_OK(secret);
    return TotpCode(secret->key, TotpStep(clock_.Now()) + offset_steps);
  }
  bool Enrolled() {
    auto p = db().Read<std::optional<Principal>>(
        [&](db::Connection& c) { return LoadPrincipal(c, account_); });
    return p.ok() && *p && (*p)->mfa_enrolled;
  }
  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
  int64_t account_ = 0;
};

// After a key rotation the secrets are sealed again with the new generation: a cipher
// holding only that generation then confirms and checks them.
TEST_P(MfaStoreTest, SecretsAreResealedWithTheCurrentKeyGeneration) {
  crypto::FieldKeys v1 = crypto::FieldKeys::Generate(1), v2 = crypto::FieldKeys::Generate(2);
  crypto::FieldCipher old_keys(v1);
  ASSERT_OK(
      MfaStore(db(), old_keys, clock_).Begin(account_, "sec.admin"));  // pending, sealed with v1
  crypto::FieldCipher rotated(v2, {v1});
  MfaStore after(db(), rotated, clock_);
  EXPECT_EQ(*after.ResealSecrets(), 1);
  EXPECT_EQ(*after.ResealSecrets(), 0) << "already current";
  crypto::FieldCipher only_v2(v2);
  MfaStore fresh(db(), only_v2, clock_);
  auto secret = db().Read<std::string>([&](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(auto rs,
                           c.Query("SELECT totp_pending FROM account WHERE id = $1", {account_}));
    NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::FromHex(rs.rows.at(0).Text(0)));
    return only_v2.Open(sealed);
  });
  ASSERT_OK(secret);
  auto codes = fresh.Confirm(account_, TotpCode(*secret, TotpStep(clock_.Now())));
  ASSERT_OK(codes);
}

TEST_P(MfaStoreTest, EnrolmentShowsTheSecretOnceAndConfirmsWithACode) {
  MfaStore mfa(db(), cipher_, clock_);
  auto e = mfa.Begin(account_, "sec.admin");
  ASSERT_OK(e);
  EXPECT_EQ(e->secret.size(), 32u);  // 20 bytes in base32
  EXPECT_TRUE(e->otpauth_uri.starts_with("otpauth://totp/")) << e->otpauth_uri;
  EXPECT_NE(e->otpauth_uri.find("secret=" + e->secret), std::string::npos);
  EXPECT_TRUE(e->qr_svg.starts_with("<svg"));
  EXPECT_FALSE(Enrolled()) << "pending until confirmed";
  auto stored = db().Read<db::ResultSet>([&](db::Connection& c) {
    return c.Query("SELECT totp_pending FROM account WHERE id = $1", {account_});
  });
  ASSERT_OK(stored);
  EXPECT_EQ(stored->rows[0].Text(0).find(crypto::ToHex(*crypto::Base32Decode(e->secret))),
            std::string::npos)
      << "the secret is sealed at rest";
  auto wrong = mfa.Confirm(account_, "000000");
  ASSERT_THAT(wrong, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(wrong.error().fields.at(0).code, "wrong_code");
  auto codes = mfa.Confirm(account_, CodeNow(*e));
  ASSERT_OK(codes);
  EXPECT_EQ(codes->size(), 10u);
  EXPECT_TRUE(Enrolled());
}

TEST_P(MfaStoreTest, EachCodeIsAcceptedOnce) {
  MfaStore mfa(db(), cipher_, clock_);
  auto e = mfa.Begin(account_, "sec.admin");
  ASSERT_OK(e);
  std::string enrol_code = CodeNow(*e);
  ASSERT_OK(mfa.Confirm(account_, enrol_code));
  EXPECT_FALSE(*mfa.Check(account_, enrol_code)) << "the enrolment code was used";
  Advance(std::chrono::seconds(30));
  std::string next = CodeNow(*e);
  EXPECT_TRUE(*mfa.Check(account_, next));
  EXPECT_FALSE(*mfa.Check(account_, next)) << "replay";
  EXPECT_FALSE(*mfa.Check(account_, CodeNow(*e, -1))) << "an earlier step after a later one";
  Advance(std::chrono::seconds(30));
  EXPECT_TRUE(*mfa.Check(account_, CodeNow(*e, 1))) << "one step of drift";
  Advance(std::chrono::seconds(120));
  EXPECT_FALSE(*mfa.Check(account_, CodeNow(*e, 2))) << "two steps ahead";
  EXPECT_FALSE(*mfa.Check(account_, "12345"));
}

TEST_P(MfaStoreTest, RecoveryCodesWorkOnceAndAReEnrolmentReplacesThem) {
  MfaStore mfa(db(), cipher_, clock_);
  auto e = mfa.Begin(account_, "sec.admin");
  ASSERT_OK(e);
  auto codes = mfa.Confirm(account_, CodeNow(*e));
  ASSERT_OK(codes);
  std::string first = (*codes)[0];
  std::string typed = first.substr(0, 5) + first.substr(6);  // without the hyphen, lower case
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_TRUE(*mfa.Check(account_, typed));
  EXPECT_FALSE(*mfa.Check(account_, first)) << "used";
  EXPECT_TRUE(*mfa.Check(account_, (*codes)[1]));
  Advance(std::chrono::seconds(60));
  auto again = mfa.Begin(account_, "sec.admin");
  ASSERT_OK(again);
  ASSERT_OK(mfa.Confirm(account_, CodeNow(*again)));
  EXPECT_FALSE(*mfa.Check(account_, (*codes)[2])) << "codes of the replaced enrolment";
}

TEST_P(MfaStoreTest, ConfirmingWithoutABegunEnrolmentIsAConflict) {
  MfaStore mfa(db(), cipher_, clock_);
  auto r = mfa.Confirm(account_, "123456");
  ASSERT_THAT(r, nemis::testing::IsErrorCode("no_enrolment"));
  EXPECT_FALSE(*mfa.Check(account_, "123456")) << "no authenticator: no code matches";
}

TEST_P(MfaStoreTest, ASecretSealedUnderOtherKeysIsAnErrorNotAMatch) {
  MfaStore mfa(db(), cipher_, clock_);
  auto e = mfa.Begin(account_, "sec.admin");
  ASSERT_OK(e);
  ASSERT_OK(mfa.Confirm(account_, CodeNow(*e)));
  crypto::FieldCipher other(crypto::FieldKeys::Generate(2));
  MfaStore wrong_keys(db(), other, clock_);
  Advance(std::chrono::seconds(30));
  auto r = wrong_keys.Check(account_, CodeNow(*e));
  ASSERT_THAT(r, nemis::testing::IsErrorCode("unknown_key_version"));
}

}  // namespace
NEMIS_STORE_TEST_SUITE(MfaStoreTest);
}  // namespace nemis::identity
