// Authorization codes and refresh tokens on both back ends: PKCE, one use each, reuse
// revoking the grant's tokens.
#include "identity/oidc_grants.hpp"

#include <gtest/gtest.h>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "identity/account_store.hpp"
#include "identity/identity_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

// RFC 7636 Appendix B.
constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

TEST(PkceTest, TheRfc7636ExampleAndItsEdges) {
  EXPECT_TRUE(IsS256Challenge(kChallenge));
  EXPECT_TRUE(VerifierMatches(kVerifier, kChallenge));
  EXPECT_FALSE(VerifierMatches(std::string(kVerifier) + "x", kChallenge));
  EXPECT_FALSE(
      VerifierMatches(kChallenge, kChallenge));  // "plain": the challenge as its own verifier
  EXPECT_FALSE(VerifierMatches(
      "short", crypto::Base64UrlEncode(crypto::Sha256("short"))));  // under 43 characters
  EXPECT_FALSE(IsS256Challenge("plain-challenge"));
  EXPECT_FALSE(IsS256Challenge(std::string(43, '+')));
}

class OidcGrantTest : public IdentityStoreTest {
 protected:
  void SetUp() override {
    IdentityStoreTest::SetUp();
    AccountStore accounts(db(), settings_, clock_);
    auto created = accounts.Create({"gz.clerk",
                                    "学籍员",
                                    "2144000001",
                                    "Abcdefgh1234",
                                    false,
                                    {{"school_registrar", "2144000001"}}});
    ASSERT_OK(created);
    account_ = created->id;
  }
  AuthorizationGrant Request() {
    return {
        "client-1", account_, "https://app.example/cb", std::string(kChallenge), "openid profile",
        "n-1",      1000};
  }
  int64_t account_ = 0;
};

TEST_P(OidcGrantTest, ACodeIsRedeemedOnceWithItsVerifier) {
  OidcGrantStore grants(db(), {}, clock_);
  auto code = grants.IssueCode(Request());
  ASSERT_OK(code);
  auto wrong_verifier =
      grants.RedeemCode(*code, "client-1", "https://app.example/cb", std::string(43, 'a'));
  ASSERT_THAT(wrong_verifier, nemis::testing::IsErrorCode("invalid_grant"));
  // A refused attempt does not spend it (nothing was committed), so the right one works.
  auto redeemed = grants.RedeemCode(*code, "client-1", "https://app.example/cb", kVerifier);
  ASSERT_OK(redeemed);
  EXPECT_EQ(redeemed->first.account_id, account_);
  EXPECT_EQ(redeemed->first.scope, "openid profile");
  EXPECT_EQ(*redeemed->first.nonce, "n-1");
  EXPECT_EQ(redeemed->first.auth_time, 1000);
  EXPECT_FALSE(redeemed->second.empty());
  // Presented again: refused, and the refresh token its first use issued is revoked.
  auto again = grants.RedeemCode(*code, "client-1", "https://app.example/cb", kVerifier);
  ASSERT_THAT(again, nemis::testing::IsErrorCode("invalid_grant"));
  EXPECT_THAT(grants.RotateRefresh(redeemed->second, "client-1"),
              nemis::testing::IsErrorCode("invalid_grant"));
}

TEST_P(OidcGrantTest, ACodeIsBoundToItsClientRedirectAndLifetime) {
  OidcGrantStore grants(db(), {.code_seconds = 120}, clock_);
  auto code = grants.IssueCode(Request());
  ASSERT_OK(code);
  EXPECT_THAT(grants.RedeemCode(*code, "client-2", "https://app.example/cb", kVerifier),
              nemis::testing::IsErrorCode("invalid_grant"));
  EXPECT_THAT(grants.RedeemCode(*code, "client-1", "https://app.example/other", kVerifier),
              nemis::testing::IsErrorCode("invalid_grant"));
  EXPECT_THAT(grants.RedeemCode("no-such-code", "client-1", "https://app.example/cb", kVerifier),
              nemis::testing::IsErrorCode("invalid_grant"));
  Advance(std::chrono::seconds(121));
  auto late = grants.RedeemCode(*code, "client-1", "https://app.example/cb", kVerifier);
  ASSERT_THAT(late, nemis::testing::IsErrorCode("invalid_grant"));
  EXPECT_NE(late.error().message.find("过期"), std::string::npos);
}

TEST_P(OidcGrantTest, RefreshTokensRotateAndAReusedOneRevokesTheFamily) {
  OidcGrantStore grants(db(), {}, clock_);
  auto redeemed = grants.RedeemCode(*grants.IssueCode(Request()), "client-1",
                                    "https://app.example/cb", kVerifier);
  ASSERT_OK(redeemed);
  auto second = grants.RotateRefresh(redeemed->second, "client-1");
  ASSERT_OK(second);
  EXPECT_NE(second->second, redeemed->second);
  EXPECT_EQ(second->first.family, redeemed->first.family);
  EXPECT_THAT(grants.RotateRefresh(second->second, "client-2"),
              nemis::testing::IsErrorCode("invalid_grant"))
      << "another client's token";
  // The first token again: someone kept a copy. Refused, and the current one dies with it.
  auto reused = grants.RotateRefresh(redeemed->second, "client-1");
  ASSERT_THAT(reused, nemis::testing::IsErrorCode("invalid_grant"));
  EXPECT_NE(reused.error().message.find("已全部吊销"), std::string::npos);
  EXPECT_THAT(grants.RotateRefresh(second->second, "client-1"),
              nemis::testing::IsErrorCode("invalid_grant"));
}

TEST_P(OidcGrantTest, LogoutRevokesTheAccountsTokensForTheClient) {
  OidcGrantStore grants(db(), {}, clock_);
  auto redeemed = grants.RedeemCode(*grants.IssueCode(Request()), "client-1",
                                    "https://app.example/cb", kVerifier);
  ASSERT_OK(redeemed);
  ASSERT_OK(grants.RevokeFor(account_, "client-1"));
  EXPECT_THAT(grants.RotateRefresh(redeemed->second, "client-1"),
              nemis::testing::IsErrorCode("invalid_grant"));
}

}  // namespace
NEMIS_STORE_TEST_SUITE(OidcGrantTest);
}  // namespace nemis::identity
