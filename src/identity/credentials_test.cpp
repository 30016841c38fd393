// Sessions and API tokens with a clock the test moves, on both back ends.
#include "identity/credentials.hpp"

#include <gtest/gtest.h>

#include "identity/account_store.hpp"
#include "identity/identity_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

class CredentialsTest : public IdentityStoreTest {
 protected:
  void SetUp() override {
    IdentityStoreTest::SetUp();
    AccountStore accounts(db(), settings_, clock_);
    auto created = accounts.Create({"wu.shi", "吴十", "440106", "Abcdefgh1234", false, {}});
    ASSERT_OK(created);
    account_ = created->id;
  }
  bool Live(CredentialStore& store, const std::string& token) {
    auto s = store.ResolveSession(token);
    EXPECT_OK(s);
    if (s.ok() && *s) {
      EXPECT_EQ((*s)->account_id, account_);
    }
    return s.ok() && s->has_value();
  }
  int64_t account_ = 0;
};

TEST_P(CredentialsTest, SessionTokensAreRandomAndStoredOnlyAsHashes) {
  CredentialStore store(db(), settings_, clock_);
  auto a = store.OpenSession(account_, "10.1.2.3");
  auto b = store.OpenSession(account_, "10.1.2.3");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->token.size(), 43u);  // 32 bytes, base64url
  EXPECT_NE(a->token, b->token);
  EXPECT_NE(a->csrf_token, a->token);
  auto stored = db().Read<db::ResultSet>(
      [](db::Connection& c) { return c.Query("SELECT token_hash FROM session"); });
  ASSERT_OK(stored);
  for (const auto& row : stored->rows) {
    EXPECT_EQ(row.Text(0).size(), 64u);
    EXPECT_TRUE(row.Text(0) == SecretHash(a->token) || row.Text(0) == SecretHash(b->token));
  }
  EXPECT_TRUE(Live(store, a->token));
  EXPECT_FALSE(Live(store, a->token + "x"));
  EXPECT_FALSE(Live(store, ""));
}

TEST_P(CredentialsTest, AnIdleSessionEndsAfterThirtyMinutes) {
  CredentialStore store(db(), settings_, clock_);
  auto s = store.OpenSession(account_, "10.1.2.3");
  ASSERT_OK(s);
  Advance(minutes(29));
  EXPECT_TRUE(Live(store, s->token)) << "used at 29 minutes: the idle time starts again";
  Advance(minutes(29));
  EXPECT_TRUE(Live(store, s->token));
  Advance(minutes(30));
  EXPECT_FALSE(Live(store, s->token));
}

TEST_P(CredentialsTest, ASessionEndsTwelveHoursAfterLoginHoweverBusy) {
  CredentialStore store(db(), settings_, clock_);
  auto s = store.OpenSession(account_, "10.1.2.3");
  ASSERT_OK(s);
  for (int i = 0; i < 47; ++i) {
    Advance(minutes(15));
    ASSERT_TRUE(Live(store, s->token)) << i;
  }
  Advance(minutes(15));  // 12 hours
  EXPECT_FALSE(Live(store, s->token));
}

TEST_P(CredentialsTest, LogoutEndsTheSession) {
  CredentialStore store(db(), settings_, clock_);
  auto s = store.OpenSession(account_, "10.1.2.3");
  ASSERT_OK(s);
  ASSERT_OK(store.CloseSession(s->token));
  EXPECT_FALSE(Live(store, s->token));
}

TEST_P(CredentialsTest, ApiTokensCarryThePrefixAndExpire) {
  CredentialStore store(db(), settings_, clock_);
  auto forever = store.CreateApiToken(account_, "exchange", hours(0));
  auto day = store.CreateApiToken(account_, "report", hours(24));
  ASSERT_TRUE(forever.ok() && day.ok());
  EXPECT_TRUE(forever->starts_with("nemis_"));
  EXPECT_EQ(forever->size(), 6u + 43u);
  auto resolve = [&](const std::string& t) {
    auto r = store.ResolveApiToken(t);
    EXPECT_OK(r);
    return r.ok() && *r ? **r : int64_t{0};
  };
  EXPECT_EQ(resolve(*forever), account_);
  EXPECT_EQ(resolve(*day), account_);
  EXPECT_EQ(resolve(forever->substr(6)), 0) << "the prefix is part of the token";
  EXPECT_EQ(resolve("nemis_" + std::string(43, 'A')), 0);
  Advance(hours(24));
  EXPECT_EQ(resolve(*day), 0);
  EXPECT_EQ(resolve(*forever), account_);
  ASSERT_OK(db().WithWriter([](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE api_token SET revoked_at = '2026-01-01T00:00:00.000Z'"));
    return {};
  }));
  EXPECT_EQ(resolve(*forever), 0);
}

}  // namespace
NEMIS_STORE_TEST_SUITE(CredentialsTest);
}  // namespace nemis::identity
