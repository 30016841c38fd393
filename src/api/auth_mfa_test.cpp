// Signing in with a second factor through the real routes: a role that requires one
// can only enrol until it has one; then the login needs a code, each code works once.
#include <gtest/gtest.h>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "identity/totp.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kPassword = "Abcdefgh1234";

class AuthMfaTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    ASSERT_OK(ctx_->accounts.Create({"sec",
                                     "安全员",
                                     "440000",
                                     std::string(kPassword),
                                     false,
                                     {{"security_admin", "440000"}}}));
    AddAllRoutes(router_, *ctx_);
  }

  struct Session {
    std::string cookie, csrf;
  };

  http::Response Send(std::string method, std::string path, std::string body,
                      const Session* session = nullptr) {
    http::Request r;
    r.method = std::move(method);
    r.path = r.target = std::move(path);
    r.body = std::move(body);
    r.remote_address = "10.0.0.7";
    r.request_id = "mfa";
    if (session) {
      r.headers.push_back({"Cookie", session->cookie});
      r.headers.push_back({"X-CSRF-Token", session->csrf});
    }
    auto match = router_.Find(r.method, r.path);
    EXPECT_NE(match.route, nullptr) << r.path;
    r.path_params = match.params;
    return match.route->handler(r);
  }

  http::Response Login(const std::string& otp = "") {
    Json body = {{"login", "sec"}, {"password", kPassword}};
    if (!otp.empty()) body["otp"] = otp;
    return Send("POST", "/api/v1/auth/login", body.dump());
  }

  static Session SessionOf(const http::Response& r) {
    Session s;
    for (const auto& [k, v] : r.headers)
      if (k == "Set-Cookie" && v.starts_with("nemis_session=")) s.cookie = v.substr(0, v.find(';'));
    s.csrf = Json::parse(r.body).value("csrfToken", "");
    return s;
  }
  static std::string Code(const http::Response& r) {
    return Json::parse(r.body)["error"].value("code", "");
  }
};

TEST_P(AuthMfaTest, AnAdministratorEnrolsFirstThenSignsInWithCodes) {
  http::Response first = Login();
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(Json::parse(first.body)["mfaEnrolmentRequired"].get<bool>());
  Session s = SessionOf(first);
  // Until enrolled, the session reaches only its own account's routes.
  EXPECT_EQ(Code(Send("GET", "/api/v1/orgs/440000", "", &s)), "mfa_enrolment_required");
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", "", &s).status, 200);
  http::Response begun = Send("POST", "/api/v1/auth/mfa/totp", "{}", &s);
  ASSERT_EQ(begun.status, 200) << begun.body;
  auto secret =
      identity::TotpSecret::FromBase32(Json::parse(begun.body)["secret"].get<std::string>());
  ASSERT_OK(secret);
  auto code_at = [&](int offset) {
    return identity::TotpCode(secret->key,
                              identity::TotpStep(std::chrono::system_clock::now()) + offset);
  };
  http::Response confirmed =
      Send("POST", "/api/v1/auth/mfa/totp/confirm", Json{{"code", code_at(0)}}.dump(), &s);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  auto recovery = Json::parse(confirmed.body)["recoveryCodes"];
  ASSERT_EQ(recovery.size(), 10u);
  // Enrolled: the permission decides now (the security administrator has no org.view).
  EXPECT_EQ(Code(Send("GET", "/api/v1/orgs/440000", "", &s)), "forbidden");

  http::Response no_code = Login();
  EXPECT_EQ(no_code.status, 401);
  EXPECT_EQ(Code(no_code), "mfa_required");
  EXPECT_TRUE(no_code.headers.empty() || SessionOf(no_code).cookie.empty());
  http::Response wrong = Login("000000");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Code(wrong), "login_failed");
  http::Response replay = Login(code_at(0));  // the code that confirmed the enrolment
  EXPECT_EQ(Code(replay), "login_failed");
  http::Response with_recovery = Login(recovery[0].get<std::string>());
  ASSERT_EQ(with_recovery.status, 200) << with_recovery.body;
  EXPECT_FALSE(Json::parse(with_recovery.body)["mfaEnrolmentRequired"].get<bool>());
  EXPECT_EQ(Code(Login(recovery[0].get<std::string>())), "login_failed")
      << "a recovery code works once";
}

TEST_P(AuthMfaTest, ReplacingTheAuthenticatorNeedsACodeFromTheCurrentOne) {
  Session s = SessionOf(Login());
  http::Response begun = Send("POST", "/api/v1/auth/mfa/totp", "{}", &s);
  auto secret =
      identity::TotpSecret::FromBase32(Json::parse(begun.body)["secret"].get<std::string>());
  ASSERT_OK(secret);
  std::string now_code =
      identity::TotpCode(secret->key, identity::TotpStep(std::chrono::system_clock::now()));
  ASSERT_EQ(
      Send("POST", "/api/v1/auth/mfa/totp/confirm", Json{{"code", now_code}}.dump(), &s).status,
      200);
  http::Response refused = Send("POST", "/api/v1/auth/mfa/totp", "{}", &s);
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("\"otp\""), std::string::npos) << refused.body;
  EXPECT_EQ(
      Send("POST", "/api/v1/auth/mfa/totp/confirm", Json{{"code", "123456"}}.dump(), &s).status,
      409)
      << "nothing pending after a refused restart";
}

}  // namespace
NEMIS_STORE_TEST_SUITE(AuthMfaTest);
}  // namespace nemis::api
