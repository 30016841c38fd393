// Login-failure handling with a clock the test moves, on both back ends.
#include "identity/authenticator.hpp"

#include <gtest/gtest.h>

#include "identity/account_store.hpp"
#include "identity/identity_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

using std::chrono::minutes;
constexpr std::string_view kRight = "Correct-Horse-9";

class AuthenticatorTest : public IdentityStoreTest {
 protected:
  void SetUp() override {
    IdentityStoreTest::SetUp();
    AccountStore accounts(db(), settings_, clock_);
    ASSERT_OK(accounts.Create({"zhou.jiu", "周九", "440106", std::string(kRight), false, {}}));
  }
  LoginFailure Try(std::string_view login, std::string_view password) {
    Authenticator auth(db(), settings_, clock_);
    LoginFailure failure = LoginFailure::kNone;
    auto r = auth.CheckPassword(login, password, &failure);
    if (!r.ok()) {
      // The caller cannot tell the reasons apart: one status, one code, one message.
      EXPECT_EQ(r.error().kind, ErrorKind::kUnauthenticated);
      EXPECT_EQ(r.error().code, kLoginFailedCode);
      EXPECT_EQ(r.error().message, "登录名或密码错误，或账号已被暂时锁定");
    }
    return failure;
  }
};

TEST_P(AuthenticatorTest, FiveFailuresInFifteenMinutesLockForThirty) {
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Try("zhou.jiu", "wrong-password-1"), LoginFailure::kWrongPassword);
    clock_.Set(clock_.Now() + minutes(3));
  }
  EXPECT_EQ(Try("zhou.jiu", "wrong-password-1"),
            LoginFailure::kWrongPassword);  // the fifth, at 12 minutes
  EXPECT_EQ(Try("zhou.jiu", kRight), LoginFailure::kLocked) << "even the right password waits";
  clock_.Set(clock_.Now() + minutes(29));
  EXPECT_EQ(Try("zhou.jiu", kRight), LoginFailure::kLocked);
  clock_.Set(clock_.Now() + minutes(1));
  EXPECT_EQ(Try("zhou.jiu", kRight), LoginFailure::kNone);
}

TEST_P(AuthenticatorTest, FailuresOutsideTheWindowDoNotAddUp) {
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(Try("zhou.jiu", "wrong-password-2"), LoginFailure::kWrongPassword);
    clock_.Set(clock_.Now() + minutes(4));  // every fourth failure starts a new window
  }
  EXPECT_EQ(Try("zhou.jiu", kRight), LoginFailure::kNone);
}

TEST_P(AuthenticatorTest, ASuccessResetsTheCount) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Try("zhou.jiu", "wrong"), LoginFailure::kWrongPassword);
  EXPECT_EQ(Try("zhou.jiu", kRight), LoginFailure::kNone);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Try("zhou.jiu", "wrong"), LoginFailure::kWrongPassword);
  EXPECT_EQ(Try("zhou.jiu", kRight), LoginFailure::kNone);
}

TEST_P(AuthenticatorTest, UnknownAccountsAndDisabledOnesFailAlike) {
  EXPECT_EQ(Try("nobody", kRight), LoginFailure::kUnknownAccount);
  EXPECT_EQ(Try("", ""), LoginFailure::kUnknownAccount);
  ASSERT_OK(db().WithWriter([](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE account SET status = 'disabled' WHERE login = 'zhou.jiu'"));
    return {};
  }));
  EXPECT_EQ(Try("zhou.jiu", kRight), LoginFailure::kDisabled);
}

TEST_P(AuthenticatorTest, ExpiredPasswordsMustBeChanged) {
  settings_.policy.max_age_days = 90;
  Authenticator auth(db(), settings_, clock_);
  auto fresh = auth.CheckPassword("zhou.jiu", kRight);
  ASSERT_OK(fresh);
  EXPECT_FALSE(fresh->must_change_password);
  clock_.Set(clock_.Now() + std::chrono::hours(24 * 91));
  auto old = auth.CheckPassword("zhou.jiu", kRight);
  ASSERT_OK(old);
  EXPECT_TRUE(old->must_change_password);
  auto flagged = db().Read<db::ResultSet>([](db::Connection& c) {
    return c.Query("SELECT must_change_password FROM account WHERE login = 'zhou.jiu'");
  });
  ASSERT_OK(flagged);
  EXPECT_EQ(flagged->rows.at(0).Int(0), 1)
      << "the account is flagged for every route, not only this answer";
}

}  // namespace
NEMIS_STORE_TEST_SUITE(AuthenticatorTest);
}  // namespace nemis::identity
