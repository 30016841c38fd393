// Account administration through the real routes, by a province's security
// administrator: only accounts and institutions of its province, one-time passwords,
// and a disabled account's token refused at once.
#include <gtest/gtest.h>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "audit/audit_query.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::api {
namespace {

class AccountRoutesTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddAllRoutes(router_, *ctx_);
    admin_ = Token("sec.gd", "security_admin", "440000");
    ASSERT_OK(ctx_->accounts.Create({"national.officer",
                                     "部学籍主管",
                                     "000000",
                                     "Abcdefgh1234",
                                     false,
                                     {{"national_registrar", "000000"}}}));
  }
  std::string Token(const std::string& login, const std::string& role, const std::string& org) {
    return TokenFor(login, role, org);
  }
  http::Response Send(std::string method, const std::string& target, std::string body,
                      const std::string& token) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return Call(std::move(method), target, std::move(body), std::move(headers), "10.0.0.9");
  }
  http::Response Login(const std::string& login, const std::string& password) {
    http::Request r;
    r.method = "POST";
    r.path = r.target = "/api/v1/auth/login";
    r.body = Json{{"login", login}, {"password", password}}.dump();
    r.remote_address = "10.0.0.10";
    auto match = router_.Find(r.method, r.path);
    return match.route->handler(r);
  }
  static Json Body(const http::Response& r) { return Json::parse(r.body); }
  std::string admin_;
};

TEST_P(AccountRoutesTest, CreatesAccountsInItsProvinceWithAOneTimePassword) {
  Json body = {{"login", "zhou.county"},
               {"displayName", "周区县"},
               {"org", "440106"},
               {"grants", {{{"role", "county_registrar"}, {"org", "440106"}}}}};
  http::Response created = Send("POST", "/api/v1/accounts", body.dump(), admin_);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string password = Body(created)["password"];
  EXPECT_EQ(password.size(), 20u);
  http::Response first = Login("zhou.county", password);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(Body(first)["mustChangePassword"].get<bool>());
  audit::AuditFilter f;
  f.action = "account.create";
  auto audited = audit::Query(db(), f);
  ASSERT_OK(audited);
  ASSERT_EQ(audited->records.size(), 1u);
  EXPECT_EQ(audited->records[0].entry.account, "sec.gd");
  EXPECT_EQ(audited->records[0].entry.target, "zhou.county");
  EXPECT_NE(audited->records[0].entry.details.find("county_registrar@440106"), std::string::npos);
  EXPECT_EQ(audited->records[0].entry.details.find(password), std::string::npos)
      << "never the password";
  body["login"] = "wu.national";
  body["org"] = "000000";
  http::Response outside = Send("POST", "/api/v1/accounts", body.dump(), admin_);
  EXPECT_EQ(outside.status, 422);
  EXPECT_EQ(Body(outside)["error"]["fields"][0]["field"], "org");
  body["org"] = "440106";
  body["grants"] = {{{"role", "national_registrar"}, {"org", "000000"}}};
  EXPECT_EQ(Send("POST", "/api/v1/accounts", body.dump(), admin_).status, 422)
      << "a grant outside the province";
  http::Response missing = Send("POST", "/api/v1/accounts", R"({"login":"x.y.z"})", admin_);
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(Body(missing)["error"]["fields"][0]["field"], "displayName");
}

TEST_P(AccountRoutesTest, ListsOnlyItsProvincesAccountsByLoginInPages) {
  for (const char* login : {"a.one", "a.two", "a.three"})
    ASSERT_EQ(Send("POST", "/api/v1/accounts",
                   Json{{"login", login}, {"displayName", login}, {"org", "440106"}}.dump(), admin_)
                  .status,
              201);
  http::Response page = Send("GET", "/api/v1/accounts?q=a.&limit=2", "", admin_);
  ASSERT_EQ(page.status, 200) << page.body;
  Json p = Body(page);
  ASSERT_EQ(p["items"].size(), 2u);
  EXPECT_EQ(p["items"][0]["login"], "a.one");
  EXPECT_EQ(p["items"][1]["login"], "a.three");
  ASSERT_EQ(p["next"], "a.three");
  Json rest = Body(Send("GET", "/api/v1/accounts?q=a.&limit=2&after=a.three", "", admin_));
  ASSERT_EQ(rest["items"].size(), 1u);
  EXPECT_TRUE(rest["next"].is_null());
  ASSERT_EQ(Send("POST", "/api/v1/accounts",
                 Json{{"login", "axb"}, {"displayName", "x"}, {"org", "440106"}}.dump(), admin_)
                .status,
            201);
  EXPECT_EQ(Body(Send("GET", "/api/v1/accounts?q=a_", "", admin_))["items"].size(), 0u)
      << "'_' in the prefix is a character, not a wildcard";
  std::string all = Send("GET", "/api/v1/accounts?limit=500", "", admin_).body;
  EXPECT_NE(all.find("sec.gd"), std::string::npos);
  EXPECT_EQ(all.find("national.officer"), std::string::npos)
      << "an account of the national root is outside";
  EXPECT_EQ(Send("POST", "/api/v1/accounts/national.officer/disable", "", admin_).status, 404);
}

TEST_P(AccountRoutesTest, ADisabledAccountsTokenIsRefusedAtOnceAndWorksAgainWhenEnabled) {
  std::string clerk = Token("li.clerk", "statistician", "440106");
  ASSERT_EQ(Send("GET", "/api/v1/orgs/440106", "", clerk).status, 200);  // cached now
  ASSERT_EQ(Send("POST", "/api/v1/accounts/li.clerk/disable", "", admin_).status, 204);
  http::Response refused = Send("GET", "/api/v1/orgs/440106", "", clerk);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(Body(refused)["error"]["code"], "account_disabled");
  EXPECT_EQ(Login("li.clerk", "Abcdefgh1234").status, 401);
  ASSERT_EQ(Send("POST", "/api/v1/accounts/li.clerk/enable", "", admin_).status, 204);
  EXPECT_EQ(Send("GET", "/api/v1/orgs/440106", "", clerk).status, 200);
  EXPECT_EQ(Send("POST", "/api/v1/accounts/nobody/enable", "", admin_).status, 404);
}

TEST_P(AccountRoutesTest, GrantsAndPasswordResets) {
  std::string clerk = Token("he.clerk", "statistician", "440106");
  EXPECT_EQ(Send("GET", "/api/v1/students?q=张", "", clerk).status, 403);
  ASSERT_EQ(Send("POST", "/api/v1/accounts/he.clerk/grants",
                 R"({"role":"county_registrar","org":"440106"})", admin_)
                .status,
            204);
  EXPECT_EQ(Send("GET", "/api/v1/students?q=张", "", clerk).status, 200)
      << "the new grant applies at once";
  http::Response bad = Send("POST", "/api/v1/accounts/he.clerk/grants",
                            R"({"role":"audit_admin","org":"440000"})", admin_);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Body(bad)["error"]["fields"][0]["code"], "separation_of_duties");
  http::Response reset = Send("POST", "/api/v1/accounts/he.clerk/password-reset", "", admin_);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(Login("he.clerk", "Abcdefgh1234").status, 401);
  http::Response fresh = Login("he.clerk", Body(reset)["password"]);
  ASSERT_EQ(fresh.status, 200);
  EXPECT_TRUE(Body(fresh)["mustChangePassword"].get<bool>());
}

// Dual control (identity/privileged_change.hpp): what would let the security administrator
// read personal data or take over another administrator waits for a second person.
TEST_P(AccountRoutesTest, AGrantOfPersonalDataWaitsForTheCountysApproval) {
  AddSchool("2144000001", "440106", "天河区第一小学");
  std::string clerk = Token("wu.clerk", "statistician", "2144000001");
  http::Response asked = Send("POST", "/api/v1/accounts/wu.clerk/grants",
                              R"({"role":"school_registrar","org":"2144000001"})", admin_);
  ASSERT_EQ(asked.status, 202) << asked.body;
  const int64_t id = Body(asked)["caseId"];
  EXPECT_EQ(Send("GET", "/api/v1/students?q=张", "", clerk).status, 403)
      << "not in force before the approval";
  http::Response own = Call("POST", "/api/v1/cases/" + std::to_string(id) + "/approve", "{}",
                            {{"Authorization", "Bearer " + admin_}, {"If-Match", "\"v1\""}});
  EXPECT_EQ(own.status, 403) << "the county's step: the requester's grant does not reach it";
  std::string county = Token("tianhe.county", "county_registrar", "440106");
  http::Response approved = Call("POST", "/api/v1/cases/" + std::to_string(id) + "/approve", "{}",
                                 {{"Authorization", "Bearer " + county}, {"If-Match", "\"v1\""}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Body(approved)["status"], "approved");
  EXPECT_EQ(Send("GET", "/api/v1/students?q=张", "", clerk).status, 200);
  audit::AuditFilter filter;
  filter.action = "alert.privileged_change";
  auto alerts = audit::Query(db(), filter);
  ASSERT_OK(alerts);
  ASSERT_EQ(alerts->records.size(), 1u);
  EXPECT_EQ(alerts->records[0].entry.account, "sec.gd");
  EXPECT_NE(alerts->records[0].entry.details.find("school_registrar"), std::string::npos);
}

TEST_P(AccountRoutesTest, AnAdministratorsPasswordResetNeedsAnotherAdministrator) {
  Token("audit.gd", "audit_admin", "440000");
  std::string system = Token("sys.gd", "system_admin", "440000");
  http::Response reset = Send("POST", "/api/v1/accounts/audit.gd/password-reset", "", admin_);
  ASSERT_EQ(reset.status, 202) << reset.body;
  const std::string password = Body(reset)["password"];
  const int64_t id = Body(reset)["pending"]["caseId"];
  EXPECT_EQ(Login("audit.gd", password).status, 401) << "the new password is not in force yet";
  EXPECT_NE(Login("audit.gd", "Abcdefgh1234").status, 401) << "the old one still is";
  const std::string path = "/api/v1/cases/" + std::to_string(id) + "/approve";
  http::Response own =
      Call("POST", path, "{}", {{"Authorization", "Bearer " + admin_}, {"If-Match", "\"v1\""}});
  ASSERT_EQ(own.status, 403) << "never the requester";
  EXPECT_EQ(Body(own)["error"]["code"], "not_your_step");
  http::Response approved =
      Call("POST", path, "{}", {{"Authorization", "Bearer " + system}, {"If-Match", "\"v1\""}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_NE(Login("audit.gd", password).status, 401);
  EXPECT_EQ(Login("audit.gd", "Abcdefgh1234").status, 401);
  // A staff member's reset needs nobody else.
  Token("ma.clerk", "statistician", "440106");
  EXPECT_EQ(Send("POST", "/api/v1/accounts/ma.clerk/password-reset", "", admin_).status, 200);
}

TEST_P(AccountRoutesTest, ANewAccountGetsItsPrivilegedGrantsOnlyOnApproval) {
  AddSchool("2144000001", "440106", "天河区第一小学");
  Json body = {{"login", "qian.school"},
               {"displayName", "钱学籍"},
               {"org", "2144000001"},
               {"grants",
                {{{"role", "school_registrar"}, {"org", "2144000001"}},
                 {{"role", "statistician"}, {"org", "2144000001"}}}}};
  http::Response created = Send("POST", "/api/v1/accounts", body.dump(), admin_);
  ASSERT_EQ(created.status, 201) << created.body;
  Json pending = Body(created)["pendingGrants"];
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["role"], "school_registrar");
  std::string listed = Send("GET", "/api/v1/accounts?q=qian", "", admin_).body;
  EXPECT_NE(listed.find("statistician@2144000001"), std::string::npos) << listed;
  EXPECT_EQ(listed.find("school_registrar"), std::string::npos) << listed;
}

}  // namespace
NEMIS_STORE_TEST_SUITE(AccountRoutesTest);
}  // namespace nemis::api
