// Identity over HTTP against the real server: password sign-in to a cookie session
// (cookie attributes, CSRF on writes, sign-out, password change), failed logins that
// all look alike, lockout, the per-address login throttle, the first administrator
// that `nemis serve` creates on an empty node, and API tokens made with
// `nemis token create`.
#include <gtest/gtest.h>

#include <regex>

#include "fixture.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

// Cheap password hashes: verifying a default (64 MiB) hash on every login would
// make these tests slow without testing anything more.
const std::map<std::string, std::string> kCheapHashes = {{"identity.argon2_memory_kib", "1024"}};

constexpr const char* kLogin = "zhang.wei";
constexpr const char* kPassword = "Tian-he#2025xq";
constexpr const char* kCounty = "440106";   // 天河区
constexpr const char* kSibling = "440103";  // 荔湾区, another county of 广州
constexpr const char* kSchoolCode = "2144000001";

json SchoolBody(const std::string& code, const std::string& name) {
  return {{"code", code}, {"parentCode", kCounty}, {"name", name}, {"schoolType", "211"}};
}

// An API error: the status, the stable code, and a message.
void ExpectError(const HttpResponse& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), code) << r.Describe();
  json body = r.Json();
  bool has_message = body.is_object() && body.contains("error") && body["error"].is_object() &&
                     !body["error"].value("message", "").empty();
  EXPECT_TRUE(has_message) << r.Describe();
}

// The error fields of a 422 as "field:code" strings, in order.
std::vector<std::string> FieldErrors(const HttpResponse& r) {
  std::vector<std::string> out;
  json body = r.Json();
  if (!body.is_object() || !body.contains("error") || !body["error"].contains("fields")) return out;
  for (const auto& f : body["error"]["fields"])
    out.push_back(f.value("field", "") + ":" + f.value("code", ""));
  return out;
}

// "nemis_session=VALUE" out of a Set-Cookie header ("" when there is none).
std::string CookiePair(const HttpResponse& r) {
  std::string set_cookie = r.Header("Set-Cookie").value_or("");
  return set_cookie.substr(0, set_cookie.find(';'));
}

class AuthTest : public ServerTest {
 protected:
  void StartServer(std::map<std::string, std::string> settings = {}) {
    settings.insert(kCheapHashes.begin(), kCheapHashes.end());
    ServerTest::StartServer(std::move(settings));
  }

  RunResult AddUser(const std::string& login, const std::string& role, const std::string& org,
                    const std::string& password) {
    return AddUserWithPassword(login, role, org, password, kCheapHashes);
  }

  // The county registrar of 天河区 with kPassword, and the server.
  void StartWithCountyRegistrar(std::map<std::string, std::string> settings = {}) {
    RunResult added = AddUser(kLogin, "county_registrar", kCounty, kPassword);
    ASSERT_TRUE(added.status.Ok()) << added.Describe();
    // The password came from standard input: nothing was generated, so nothing is printed.
    EXPECT_EQ(added.out.find("密码（只显示这一次）"), std::string::npos) << added.out;
    StartServer(std::move(settings));
  }

  HttpResponse Login(const std::string& login, const std::string& password) {
    HttpClient client = server().Client();
    return client.PostJson("/api/v1/auth/login", {{"login", login}, {"password", password}});
  }

  struct Session {
    std::string cookie;  // "nemis_session=..."
    std::string csrf;
  };

  Session SignIn(const std::string& login, const std::string& password) {
    HttpResponse r = Login(login, password);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return {CookiePair(r), r.Json().value("csrfToken", "")};
  }

  // A client sending only the session cookie (no Authorization).
  HttpClient CookieClient(const std::string& cookie) {
    HttpClient client = server().Client();
    client.set_default_headers({{"Cookie", cookie}});
    return client;
  }
};

TEST_P(AuthTest, PasswordLoginOpensACookieSessionLimitedToTheCounty) {
  ASSERT_NO_FATAL_FAILURE(StartWithCountyRegistrar());
  HttpResponse r = Login(kLogin, kPassword);
  ASSERT_EQ(r.status, 200) << r.Describe();
  json body = r.Json();
  EXPECT_EQ(body["login"], kLogin);
  EXPECT_EQ(body["displayName"], kLogin);  // no --name: the login
  EXPECT_EQ(body["org"], kCounty);
  EXPECT_EQ(body["mustChangePassword"], false);
  ASSERT_EQ(body["grants"].size(), 1u) << body.dump();
  EXPECT_EQ(body["grants"][0]["role"], "county_registrar");
  EXPECT_EQ(body["grants"][0]["org"], kCounty);
  EXPECT_EQ(body["grants"][0]["level"], "county");
  std::vector<std::string> permissions = body["permissions"];
  EXPECT_NE(std::find(permissions.begin(), permissions.end(), "student.view"), permissions.end())
      << body.dump();
  EXPECT_NE(std::find(permissions.begin(), permissions.end(), "org.create"), permissions.end())
      << body.dump();
  EXPECT_EQ(std::find(permissions.begin(), permissions.end(), "account.administer"),
            permissions.end());
  std::string csrf = body.value("csrfToken", "");
  EXPECT_GE(csrf.size(), 20u) << body.dump();
  EXPECT_EQ(r.Header("Cache-Control").value_or(""), "no-store");

  std::string set_cookie = r.Header("Set-Cookie").value_or("");
  EXPECT_TRUE(set_cookie.starts_with("nemis_session=")) << set_cookie;
  EXPECT_GT(CookiePair(r).size(), std::string("nemis_session=").size() + 20) << set_cookie;
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; Path=/"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Max-Age"), std::string::npos)
      << "a session cookie, gone with the browser: " << set_cookie;

  HttpClient browser = CookieClient(CookiePair(r));
  HttpResponse me = browser.Get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.Json()["login"], kLogin);
  EXPECT_EQ(me.Json()["grants"][0]["role"], "county_registrar");
  EXPECT_EQ(me.Json().value("csrfToken", ""), csrf);

  HttpResponse own = browser.Get(std::string("/api/v1/orgs/") + kCounty);
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_EQ(own.Json()["name"], "天河区");
  ExpectError(browser.Get(std::string("/api/v1/orgs/") + kSibling), 404, "not_found");
  // The national registrar's token reaches the sibling: the 404 above is scope, not absence.
  EXPECT_EQ(http().Get(std::string("/api/v1/orgs/") + kSibling).status, 200);

  // Each login is its own session with its own tokens.
  Session second = SignIn(kLogin, kPassword);
  EXPECT_NE(second.cookie, CookiePair(r));
  EXPECT_NE(second.csrf, csrf);
}

TEST_P(AuthTest, SecureCookiesSettingMarksTheCookiesSecure) {
  ASSERT_NO_FATAL_FAILURE(StartWithCountyRegistrar({{"identity.secure_cookies", "true"}}));
  HttpResponse r = Login(kLogin, kPassword);
  ASSERT_EQ(r.status, 200) << r.Describe();
  std::string set_cookie = r.Header("Set-Cookie").value_or("");
  EXPECT_TRUE(set_cookie.starts_with("nemis_session=")) << set_cookie;
  EXPECT_NE(set_cookie.find("; Secure"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos) << set_cookie;

  HttpClient browser = CookieClient(CookiePair(r));
  HttpResponse out =
      browser.Post("/api/v1/auth/logout", "", {{"X-CSRF-Token", r.Json().value("csrfToken", "")}});
  ASSERT_EQ(out.status, 204) << out.Describe();
  EXPECT_NE(out.Header("Set-Cookie").value_or("").find("; Secure"), std::string::npos)
      << out.Header("Set-Cookie").value_or("");
}

TEST_P(AuthTest, CookieWritesNeedTheSessionsCsrfToken) {
  ASSERT_NO_FATAL_FAILURE(StartWithCountyRegistrar());
  Session session = SignIn(kLogin, kPassword);
  Session other = SignIn(kLogin, kPassword);  // same account, another session
  ASSERT_FALSE(session.csrf.empty());
  HttpClient browser = CookieClient(session.cookie);
  const std::string target = std::string("/api/v1/orgs/") + kSchoolCode;
  const std::string count =
      std::string("SELECT COUNT(*) FROM org WHERE code = '") + kSchoolCode + "'";

  ExpectError(browser.PostJson("/api/v1/orgs", SchoolBody(kSchoolCode, "天河区第一小学")), 403,
              "csrf_failed");
  ExpectError(browser.PostJson("/api/v1/orgs", SchoolBody(kSchoolCode, "天河区第一小学"),
                               {{"X-CSRF-Token", "wrong"}}),
              403, "csrf_failed");
  ExpectError(browser.PostJson("/api/v1/orgs", SchoolBody(kSchoolCode, "天河区第一小学"),
                               {{"X-CSRF-Token", ""}}),
              403, "csrf_failed");
  ExpectError(browser.PostJson("/api/v1/orgs", SchoolBody(kSchoolCode, "天河区第一小学"),
                               {{"X-CSRF-Token", other.csrf}}),
              403, "csrf_failed");
  EXPECT_EQ(store().QueryInt(count), 0);
  ExpectError(browser.Get(target), 404, "not_found");

  HttpResponse created = browser.PostJson("/api/v1/orgs", SchoolBody(kSchoolCode, "天河区第一小学"),
                                          {{"X-CSRF-Token", session.csrf}});
  ASSERT_EQ(created.status, 201) << created.Describe();
  EXPECT_EQ(created.Json()["parentCode"], kCounty);
  EXPECT_EQ(store().QueryInt(count), 1);
  HttpResponse got = browser.Get(target);
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.Json()["name"], "天河区第一小学");

  // PATCH is a write too.
  const Headers patch_headers = {{"Content-Type", "application/json"}, {"If-Match", "\"v1\""}};
  const std::string rename = json{{"name", "天河区实验小学"}}.dump();
  ExpectError(browser.Patch(target, rename, patch_headers), 403, "csrf_failed");
  EXPECT_EQ(browser.Get(target).Json()["name"], "天河区第一小学");
  Headers with_token = patch_headers;
  with_token.emplace_back("X-CSRF-Token", session.csrf);
  HttpResponse patched = browser.Patch(target, rename, with_token);
  ASSERT_EQ(patched.status, 200) << patched.Describe();
  EXPECT_EQ(patched.Json()["name"], "天河区实验小学");

  // An API token needs no CSRF token.
  HttpResponse by_token =
      http().PostJson("/api/v1/orgs", SchoolBody("2144000002", "天河区第二小学"));
  EXPECT_EQ(by_token.status, 201) << by_token.Describe();
}

TEST_P(AuthTest, LogoutEndsOnlyThatSessionAndExpiresTheCookie) {
  ASSERT_NO_FATAL_FAILURE(StartWithCountyRegistrar());
  Session session = SignIn(kLogin, kPassword);
  Session other = SignIn(kLogin, kPassword);
  HttpClient browser = CookieClient(session.cookie);

  ExpectError(browser.Post("/api/v1/auth/logout", ""), 403, "csrf_failed");
  ASSERT_EQ(browser.Get("/api/v1/auth/me").status, 200)
      << "a refused logout must not end the session";

  HttpResponse out = browser.Post("/api/v1/auth/logout", "", {{"X-CSRF-Token", session.csrf}});
  ASSERT_EQ(out.status, 204) << out.Describe();
  std::string set_cookie = out.Header("Set-Cookie").value_or("");
  EXPECT_TRUE(set_cookie.starts_with("nemis_session=;")) << set_cookie;
  EXPECT_NE(set_cookie.find("; Max-Age=0"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; Path=/"), std::string::npos) << set_cookie;

  ExpectError(browser.Get("/api/v1/auth/me"), 401, "session_expired");
  ExpectError(browser.Get(std::string("/api/v1/orgs/") + kCounty), 401, "session_expired");
  ExpectError(browser.Post("/api/v1/auth/logout", "", {{"X-CSRF-Token", session.csrf}}), 401,
              "session_expired");
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM session WHERE revoked_at IS NOT NULL"), 1);

  HttpClient still_signed_in = CookieClient(other.cookie);
  HttpResponse me = still_signed_in.Get("/api/v1/auth/me");
  EXPECT_EQ(me.status, 200) << me.Describe();
}

TEST_P(AuthTest, FailedLoginsAnswerAlikeWhateverTheReason) {
  ASSERT_NO_FATAL_FAILURE(StartWithCountyRegistrar());
  ASSERT_EQ(Login(kLogin, kPassword).status, 200);  // the password is right

  auto without_request_id = [](const HttpResponse& r) {
    json body = r.Json();
    if (body.is_object() && body.contains("error")) body["error"].erase("requestId");
    return body;
  };
  HttpResponse unknown = Login("no.such.user", kPassword);
  ExpectError(unknown, 401, "login_failed");
  HttpResponse wrong = Login(kLogin, "Wrong-password#1");
  ExpectError(wrong, 401, "login_failed");
  EXPECT_EQ(without_request_id(wrong), without_request_id(unknown));
  EXPECT_EQ(wrong.Json()["error"]["message"], unknown.Json()["error"]["message"]);
  EXPECT_EQ(wrong.Header("Set-Cookie"), std::nullopt);

  for (int i = 2; i <= 5; ++i)
    ExpectError(Login(kLogin, "Wrong-password#" + std::to_string(i)), 401, "login_failed");
  HttpResponse locked = Login(kLogin, kPassword);  // right password, locked account
  ExpectError(locked, 401, "login_failed");
  EXPECT_EQ(without_request_id(locked), without_request_id(unknown));
  EXPECT_EQ(locked.Header("Set-Cookie"), std::nullopt);
  EXPECT_NE(locked.Json()["error"]["requestId"], unknown.Json()["error"]["requestId"]);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM session"), 1);  // only the first login's
}

TEST_P(AuthTest, LoginWithoutLoginOrPasswordIs422NamingTheField) {
  ASSERT_NO_FATAL_FAILURE(StartWithCountyRegistrar());
  HttpClient client = server().Client();
  HttpResponse none = client.PostJson("/api/v1/auth/login", json::object());
  ExpectError(none, 422, "validation_failed");
  EXPECT_EQ(FieldErrors(none), (std::vector<std::string>{"login:required", "password:required"}))
      << none.Describe();
  HttpResponse no_password = client.PostJson("/api/v1/auth/login", {{"login", kLogin}});
  ExpectError(no_password, 422, "validation_failed");
  EXPECT_EQ(FieldErrors(no_password), std::vector<std::string>{"password:required"})
      << no_password.Describe();
  HttpResponse empty_login =
      client.PostJson("/api/v1/auth/login", {{"login", ""}, {"password", kPassword}});
  EXPECT_EQ(FieldErrors(empty_login), std::vector<std::string>{"login:required"})
      << empty_login.Describe();
  HttpResponse number =
      client.PostJson("/api/v1/auth/login", {{"login", kLogin}, {"password", 12345}});
  EXPECT_EQ(FieldErrors(number), std::vector<std::string>{"password:required"})
      << number.Describe();
  ExpectError(
      client.Post("/api/v1/auth/login", "{\"login\":", {{"Content-Type", "application/json"}}), 400,
      "malformed_json");
}

TEST_P(AuthTest, LoginAttemptsAreThrottledPerAddress) {
  ASSERT_NO_FATAL_FAILURE(StartWithCountyRegistrar({{"identity.login_attempts_per_minute", "3"}}));
  ExpectError(Login(kLogin, "Wrong-password#1"), 401, "login_failed");
  ExpectError(Login("no.such.user", kPassword), 401, "login_failed");
  ASSERT_EQ(Login(kLogin, kPassword).status, 200);  // successes count too
  HttpResponse fourth = Login(kLogin, kPassword);   // a new connection, the same address
  ExpectError(fourth, 429, "throttled");
  EXPECT_EQ(fourth.Header("Set-Cookie"), std::nullopt);
  // Only logins are throttled.
  EXPECT_EQ(http().Get("/api/v1/auth/me").status, 200);
}

TEST_P(AuthTest, PasswordChangeEndsEverySessionAndReplacesThePassword) {
  ASSERT_NO_FATAL_FAILURE(StartWithCountyRegistrar());
  RunResult token =
      RunNemisOnStore({"token", "create", kLogin, "--db", store().url()}, kCheapHashes);
  ASSERT_TRUE(token.status.Ok()) << token.Describe();
  std::string api_token = token.out.substr(0, token.out.find('\n'));
  Session session = SignIn(kLogin, kPassword);
  Session other = SignIn(kLogin, kPassword);
  HttpClient browser = CookieClient(session.cookie);
  const Headers csrf = {{"X-CSRF-Token", session.csrf}};
  const std::string new_password = "Zhu-jiang@2026yq";

  HttpResponse wrong =
      browser.PostJson("/api/v1/auth/password",
                       {{"currentPassword", "Not-mine#2025"}, {"newPassword", new_password}}, csrf);
  ExpectError(wrong, 422, "validation_failed");
  EXPECT_EQ(FieldErrors(wrong), std::vector<std::string>{"currentPassword:wrong_password"})
      << wrong.Describe();
  HttpResponse missing =
      browser.PostJson("/api/v1/auth/password", {{"currentPassword", kPassword}}, csrf);
  EXPECT_EQ(FieldErrors(missing), std::vector<std::string>{"newPassword:required"})
      << missing.Describe();
  HttpResponse short_one =
      browser.PostJson("/api/v1/auth/password",
                       {{"currentPassword", kPassword}, {"newPassword", "Ab#1short"}}, csrf);
  ExpectError(short_one, 422, "validation_failed");
  EXPECT_EQ(FieldErrors(short_one), std::vector<std::string>{"password:too_short"})
      << short_one.Describe();
  HttpResponse same = browser.PostJson(
      "/api/v1/auth/password", {{"currentPassword", kPassword}, {"newPassword", kPassword}}, csrf);
  EXPECT_EQ(FieldErrors(same), std::vector<std::string>{"password:reused"}) << same.Describe();
  ExpectError(browser.PostJson("/api/v1/auth/password",
                               {{"currentPassword", kPassword}, {"newPassword", new_password}}),
              403, "csrf_failed");
  ASSERT_EQ(browser.Get("/api/v1/auth/me").status, 200)
      << "the refused changes must leave the session alone";

  HttpResponse changed =
      browser.PostJson("/api/v1/auth/password",
                       {{"currentPassword", kPassword}, {"newPassword", new_password}}, csrf);
  ASSERT_EQ(changed.status, 204) << changed.Describe();
  EXPECT_NE(changed.Header("Set-Cookie").value_or("").find("; Max-Age=0"), std::string::npos)
      << changed.Header("Set-Cookie").value_or("");

  ExpectError(browser.Get("/api/v1/auth/me"), 401, "session_expired");
  HttpClient other_browser = CookieClient(other.cookie);
  ExpectError(other_browser.Get("/api/v1/auth/me"), 401, "session_expired");
  ExpectError(Login(kLogin, kPassword), 401, "login_failed");
  HttpResponse again = Login(kLogin, new_password);
  ASSERT_EQ(again.status, 200) << again.Describe();
  EXPECT_EQ(again.Json()["mustChangePassword"], false);

  // API tokens are not sessions: they outlive the change.
  HttpClient machine = server().Client();
  machine.set_default_headers({{"Authorization", "Bearer " + api_token}});
  HttpResponse me = machine.Get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.Json()["login"], kLogin);
}

TEST_P(AuthTest, FirstStartCreatesASecurityAdministratorWhoMustChangeThePassword) {
  // Nothing has been written to the store yet: the server meets an empty node.
  StartServer();
  std::string out = server().Stdout();
  std::smatch m;
  static const std::regex kFirstAdmin(
      R"(首次启动：已创建安全管理员账号 admin，一次性密码 ([A-Za-z0-9#%+=@_-]+))");
  ASSERT_TRUE(std::regex_search(out, m, kFirstAdmin)) << out;
  const std::string one_time = m[1];
  EXPECT_GE(one_time.size(), 12u);

  HttpResponse login = Login("admin", one_time);
  ASSERT_EQ(login.status, 200) << login.Describe();
  EXPECT_EQ(login.Json()["mustChangePassword"], true);
  EXPECT_EQ(login.Json()["org"], "440000");
  EXPECT_EQ(login.Json()["grants"][0]["role"], "security_admin");
  Session admin{CookiePair(login), login.Json().value("csrfToken", "")};
  HttpClient browser = CookieClient(admin.cookie);
  ExpectError(browser.Get("/api/v1/orgs/440000"), 403, "password_change_required");
  HttpResponse me = browser.Get("/api/v1/auth/me");  // /auth/* stays open
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.Json()["mustChangePassword"], true);

  const std::string chosen = "Bai-yun#Shan2026";
  HttpResponse changed = browser.PostJson("/api/v1/auth/password",
                                          {{"currentPassword", one_time}, {"newPassword", chosen}},
                                          {{"X-CSRF-Token", admin.csrf}});
  ASSERT_EQ(changed.status, 204) << changed.Describe();
  Session fresh = SignIn("admin", chosen);
  HttpClient admin_browser = CookieClient(fresh.cookie);
  // An administrator binds an authenticator before anything else (see auth_mfa_test.cpp
  // for the whole flow); its own account's routes work meanwhile.
  ExpectError(admin_browser.Get("/api/v1/orgs/440000"), 403, "mfa_enrolment_required");
  EXPECT_EQ(admin_browser.Get("/api/v1/accounts").Json()["error"]["code"],
            "mfa_enrolment_required");
  me = admin_browser.Get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.Json()["mustChangePassword"], false);
  ASSERT_EQ(me.Json()["grants"].size(), 1u) << me.Describe();
  EXPECT_EQ(me.Json()["grants"][0]["role"], "security_admin");
  EXPECT_EQ(me.Json()["grants"][0]["mfaRequired"], true);
  // 三员分立: its own duty, and approving another administrator's privileged change.
  EXPECT_EQ(me.Json()["permissions"],
            json::array({"account.administer", "account.approve_privileged"}));
  EXPECT_EQ(me.Json()["mfaEnrolmentRequired"], true);

  StartServer();  // the node has accounts now
  EXPECT_EQ(server().Stdout().find("首次启动"), std::string::npos) << server().Stdout();
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM account WHERE login = 'admin'"), 1);
  EXPECT_EQ(Login("admin", chosen).status, 200);
}

TEST_P(AuthTest, ApiTokensAndBadCredentials) {
  ASSERT_NO_FATAL_FAILURE(StartWithCountyRegistrar());
  HttpClient anonymous = server().Client();
  const std::string me = "/api/v1/auth/me";
  ExpectError(anonymous.Get(me), 401, "unauthenticated");
  ExpectError(anonymous.Get(std::string("/api/v1/orgs/") + kCounty), 401, "unauthenticated");
  ExpectError(anonymous.Get(me, {{"Authorization", "Bearer nemis_garbage"}}), 401,
              "bad_credentials");
  ExpectError(anonymous.Get(me, {{"Authorization", "Bearer nemis_" + std::string(43, 'A')}}), 401,
              "bad_credentials");
  ExpectError(anonymous.Get(me, {{"Authorization", "Basic eGlhb21pbmc6c2VjcmV0"}}), 401,
              "bad_credentials");
  ExpectError(anonymous.Get(me, {{"Cookie", "nemis_session=forged"}}), 401, "session_expired");

  RunResult created = RunNemisOnStore(
      {"token", "create", kLogin, "--days", "1", "--db", store().url()}, kCheapHashes);
  ASSERT_TRUE(created.status.Ok()) << created.Describe();
  std::string token = created.out.substr(0, created.out.find('\n'));
  EXPECT_TRUE(token.starts_with("nemis_")) << created.out;
  EXPECT_EQ(created.out, token + "\n") << "the token alone on stdout";
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM api_token WHERE expires_at IS NOT NULL"), 1);

  HttpResponse mine = anonymous.Get(me, {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  EXPECT_EQ(mine.Json()["login"], kLogin);
  EXPECT_FALSE(mine.Json().contains("csrfToken")) << mine.Describe();
  EXPECT_EQ(
      anonymous.Get(std::string("/api/v1/orgs/") + kCounty, {{"Authorization", "Bearer " + token}})
          .status,
      200);
  ExpectError(anonymous.Get(std::string("/api/v1/orgs/") + kSibling,
                            {{"Authorization", "Bearer " + token}}),
              404, "not_found");

  // With an Authorization header the cookie is not looked at, even a valid one.
  Session session = SignIn(kLogin, kPassword);
  ExpectError(
      anonymous.Get(me, {{"Cookie", session.cookie}, {"Authorization", "Bearer nemis_garbage"}}),
      401, "bad_credentials");

  RunResult nobody =
      RunNemisOnStore({"token", "create", "nobody", "--db", store().url()}, kCheapHashes);
  EXPECT_TRUE(nobody.status.exited) << nobody.Describe();
  EXPECT_NE(nobody.status.code, 0) << nobody.Describe();
  EXPECT_EQ(nobody.out, "") << nobody.Describe();
  EXPECT_NE(nobody.err.find("nobody"), std::string::npos) << nobody.Describe();
}

NEMIS_IT_BOTH_BACKENDS(AuthTest);

}  // namespace
}  // namespace nemis::it
