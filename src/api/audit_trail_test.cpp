// What the API leaves in the audit log, through the real routes: refusals, writes,
// sign-ins (with the true reason of a failure), and the audit administrator's reads.
#include "api/audit_trail.hpp"

#include <gtest/gtest.h>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "audit/audit_log.hpp"
#include "audit/audit_query.hpp"
#include "audit/verify.hpp"
#include "crypto/sm2.hpp"
#include "identity/permissions.hpp"
#include "testing/audit_log_refusal.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kPassword = "Abcdefgh1234";

class AuditTrailTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddAllRoutes(router_, *ctx_);
    county_ = Token("tianhe", "county_registrar", "440106");
    auditor_ = Token("auditor", "audit_admin", "440000");
  }
  std::string Token(const std::string& login, const std::string& role, const std::string& org) {
    return TokenFor(login, role, org);
  }
  http::Response Send(std::string method, std::string target, std::string body,
                      const std::string& token) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    return Call(std::move(method), target, std::move(body), std::move(headers), "10.1.2.3");
  }
  std::vector<audit::AuditRecord> Entries(std::string action) {
    audit::AuditFilter f;
    f.action = std::move(action);
    f.limit = 1000;
    auto page = audit::Query(db(), f);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->records : std::vector<audit::AuditRecord>{};
  }
  void SetAuditLogRefusing(bool refusing) {
    bool postgres = backend() == db::Backend::kPostgres;
    std::string sql = refusing ? testing::RefuseAuditAppendsSql(postgres)
                               : testing::AllowAuditAppendsSql(postgres);
    ASSERT_TRUE(db().WithRawWriter([&](db::Connection& c) { return c.ExecScript(sql); }).ok())
        << sql;
  }
  std::string county_, auditor_;
};

TEST_P(AuditTrailTest, RefusalsAreAuditedWithWhatWasAskedFor) {
  EXPECT_EQ(Send("GET", "/api/v1/audit", "", county_).status, 403);
  auto denied = Entries("authz.deny");
  ASSERT_EQ(denied.size(), 1u) << "an identified caller's refusal has an entry of its own";
  EXPECT_EQ(denied[0].entry.outcome, "denied");
  EXPECT_EQ(denied[0].entry.account, "tianhe");
  EXPECT_EQ(denied[0].entry.target, "/api/v1/audit");
  EXPECT_EQ(denied[0].entry.source_ip, "10.1.2.3");
  EXPECT_EQ(denied[0].entry.request_id, "req-1");
  EXPECT_NE(denied[0].entry.details.find("\"audit.view\""), std::string::npos)
      << denied[0].entry.details;
}

// Anyone can send requests without a credential: they are refused into per-route,
// per-code, per-address tallies, so a flood of them adds one entry a minute, not one each.
TEST_P(AuditTrailTest, AnonymousRefusalsAreTalliedNotLoggedOneByOne) {
  for (int i = 0; i < 50; ++i) EXPECT_EQ(Send("GET", "/api/v1/orgs/440106", "", "").status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/orgs/440106", "", "not-a-token").status, 401);
  EXPECT_TRUE(Entries("authz.deny").empty()) << "nothing before the flush";
  ASSERT_TRUE(FlushAccessTally(*ctx_).ok());
  auto denied = Entries("authz.deny");
  ASSERT_EQ(denied.size(), 2u) << "one tally per refusal code";
  EXPECT_EQ(denied[0].entry.account, "");
  EXPECT_EQ(denied[0].entry.outcome, "denied");
  EXPECT_EQ(denied[0].entry.target, "GET /api/v1/orgs/{code}")
      << "the route, not the path asked for";
  EXPECT_EQ(denied[0].entry.source_ip, "10.1.2.3");
  EXPECT_EQ(denied[0].entry.request_id, "req-1");
  Json details = Json::parse(denied[0].entry.details);
  EXPECT_EQ(details["code"], "unauthenticated");
  EXPECT_EQ(details["access"], "org.view");
  EXPECT_EQ(details["count"], 50);
  EXPECT_EQ(details["lastRequestId"], "req-50");
  EXPECT_EQ(Json::parse(denied[1].entry.details)["count"], 1);
  EXPECT_NE(Json::parse(denied[1].entry.details)["code"], "unauthenticated");
}

TEST_P(AuditTrailTest, WritesAreAuditedWithTheCallerItsGrantsAndScope) {
  std::string body =
      R"({"code":"2144000009","parentCode":"440106","name":"天河区第九小学","schoolType":"211"})";
  ASSERT_EQ(Send("POST", "/api/v1/orgs", body, county_).status, 201);
  EXPECT_EQ(Send("POST", "/api/v1/orgs", body, county_).status, 409);
  auto writes = Entries("org.create");
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[0].entry.account, "tianhe");
  EXPECT_EQ(writes[0].entry.roles, "county_registrar@440106");
  EXPECT_EQ(writes[0].entry.scope, "440106");
  EXPECT_EQ(writes[0].entry.outcome, "success");
  EXPECT_EQ(writes[1].entry.outcome, "failure");
  EXPECT_NE(writes[1].entry.details.find("409"), std::string::npos);
  EXPECT_TRUE(Entries("org.view").empty()) << "reads of the organisation tree are not audited";
}

// The entry of a write is part of the write's transaction: a write whose entry cannot be
// appended is not kept (503), and a kept one has exactly one entry.
TEST_P(AuditTrailTest, AWriteIsKeptOnlyWithItsEntry) {
  std::string body =
      R"({"code":"2144000009","parentCode":"440106","name":"天河区第九小学","schoolType":"211"})";
  SetAuditLogRefusing(true);
  http::Response refused = Send("POST", "/api/v1/orgs", body, county_);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(Json::parse(refused.body)["error"]["code"], "store_unavailable");
  SetAuditLogRefusing(false);
  EXPECT_EQ(Send("GET", "/api/v1/orgs/2144000009", "", county_).status, 404)
      << "written without its entry";
  EXPECT_TRUE(Entries("org.create").empty());

  ASSERT_EQ(Send("POST", "/api/v1/orgs", body, county_).status, 201);
  auto writes = Entries("org.create");
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].entry.outcome, "success");
  EXPECT_EQ(writes[0].entry.target, "/api/v1/orgs");
  EXPECT_EQ(writes[0].entry.request_id, "req-3");
  EXPECT_EQ(writes[0].entry.details, R"({"method":"POST"})");
}

// A route that writes twice hands its entry to both writes: each commits with an entry of
// its own or not at all; a write it is not handed to (the third) carries none.
TEST_P(AuditTrailTest, ARouteThatWritesTwiceKeepsNoWriteWithoutItsEntry) {
  ASSERT_TRUE(db().WithWriter([](db::Connection& c) {
                    return c.ExecScript("CREATE TABLE two_writes (what TEXT)");
                  })
                  .ok());
  bool refuse_second = false;
  auto write = [&](std::string what, db::WriteAttachment* attachment) {
    return db().WithWriter(
        [&](db::Connection& c) -> Status {
          NEMIS_TRY(c.Query("INSERT INTO two_writes (what) VALUES ($1)", {what}));
          return {};
        },
        attachment);
  };
  AddApiRoute(router_, *ctx_, "POST", "/api/v1/test/two-writes",
              Access::Needs(identity::perm::kOrgCreate),
              [&](http::Request& req, const Caller& caller) {
                if (Status s = write("first", caller.write); !s.ok())
                  return ErrorJson(s.error(), req);
                if (refuse_second) SetAuditLogRefusing(true);
                if (Status s = write("second", caller.write); !s.ok())
                  return ErrorJson(s.error(), req);
                if (Status s = write("unaudited", nullptr); !s.ok())
                  return ErrorJson(s.error(), req);
                return http::Response{.status = 204};
              });
  ASSERT_EQ(Send("POST", "/api/v1/test/two-writes", "", county_).status, 204);
  auto entries = Entries("org.create");
  ASSERT_EQ(entries.size(), 2u) << "one entry for each write it was handed to";
  EXPECT_EQ(entries[0].entry.request_id, entries[1].entry.request_id);

  refuse_second = true;
  http::Response refused = Send("POST", "/api/v1/test/two-writes", "", county_);
  EXPECT_EQ(refused.status, 503) << refused.body;
  SetAuditLogRefusing(false);
  auto rows = db().Read<db::ResultSet>(
      [](db::Connection& c) { return c.Query("SELECT what FROM two_writes ORDER BY what"); });
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> kept;
  for (const auto& row : rows->rows) kept.push_back(row.Text(0));
  EXPECT_EQ(kept, (std::vector<std::string>{"first", "first", "second", "unaudited"}))
      << "the second request's second write was refused with its entry";
  EXPECT_EQ(Entries("org.create").size(), 3u)
      << "the first write's entry; the refusal's own could not be appended either (the log still refused)";
}

// Allowed reads are tallied, and appended when the server flushes (each minute); a flush
// the log refuses keeps them for the next one.
TEST_P(AuditTrailTest, AllowedReadsAreTalliedPerCallerAndRoute) {
  ASSERT_EQ(Send("GET", "/api/v1/orgs/440106", "", county_).status, 200);
  ASSERT_EQ(Send("GET", "/api/v1/orgs/440106/children", "", county_).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/orgs/440104", "", county_).status, 404)
      << "allowed, outside the scope";
  EXPECT_TRUE(Entries("authz.allow").empty()) << "nothing before the flush";
  SetAuditLogRefusing(true);
  EXPECT_FALSE(FlushAccessTally(*ctx_).ok());
  SetAuditLogRefusing(false);
  ASSERT_TRUE(FlushAccessTally(*ctx_).ok());

  auto allowed = Entries("authz.allow");
  ASSERT_EQ(allowed.size(), 2u);
  EXPECT_EQ(allowed[0].entry.account, "tianhe");
  EXPECT_EQ(allowed[0].entry.roles, "county_registrar@440106");
  EXPECT_EQ(allowed[0].entry.scope, "440106");
  EXPECT_EQ(allowed[0].entry.source_ip, "10.1.2.3");
  EXPECT_EQ(allowed[0].entry.target, "GET /api/v1/orgs/{code}");
  EXPECT_EQ(allowed[0].entry.request_id, "req-1");
  Json details = Json::parse(allowed[0].entry.details);
  EXPECT_EQ(details["count"], 2);
  EXPECT_EQ(details["permission"], "org.view");
  EXPECT_EQ(details["lastRequestId"], "req-3");
  EXPECT_EQ(allowed[1].entry.target, "GET /api/v1/orgs/{code}/children");
  ASSERT_TRUE(FlushAccessTally(*ctx_).ok());
  EXPECT_EQ(Entries("authz.allow").size(), 2u) << "a flush appends each tally once";
}

TEST_P(AuditTrailTest, SignInsRecordTheTrueReasonAndNoTypedStrangers) {
  auto login = [&](std::string name, std::string password) {
    return Send("POST", "/api/v1/auth/login", Json{{"login", name}, {"password", password}}.dump(),
                "");
  };
  EXPECT_EQ(login("tianhe", "wrong-Password-1").status, 401);
  EXPECT_EQ(login("440106201903150018", "whatever").status, 401);  // someone typed an ID number
  EXPECT_EQ(login("tianhe", std::string(kPassword)).status, 200);
  auto logins = Entries("auth.login");
  ASSERT_EQ(logins.size(), 3u);
  EXPECT_EQ(logins[0].entry.account, "tianhe");
  EXPECT_NE(logins[0].entry.details.find("wrong_password"), std::string::npos);
  EXPECT_EQ(logins[1].entry.account, "") << "an unknown login is not written down";
  EXPECT_NE(logins[1].entry.details.find("unknown_account"), std::string::npos);
  EXPECT_EQ(logins[2].entry.outcome, "success");
}

TEST_P(AuditTrailTest, TheAuditAdministratorReadsAndExportsTheLogAndIsAuditedDoingSo) {
  EXPECT_EQ(Send("GET", "/api/v1/audit", "", county_).status, 403);
  http::Response page = Send("GET", "/api/v1/audit?action=authz.deny&limit=10", "", auditor_);
  ASSERT_EQ(page.status, 200) << page.body;
  Json items = Json::parse(page.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["target"], "/api/v1/audit");
  EXPECT_EQ(items[0]["details"]["code"], "forbidden");
  EXPECT_EQ(items[0]["hash"].get<std::string>().size(), 64u);
  http::Response csv = Send("GET", "/api/v1/audit/export?from=2000-01-01", "", auditor_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBF")) << "Excel opens UTF-8 CSV with a BOM";
  EXPECT_EQ(Entries("audit.view").size(), 1u);
  EXPECT_EQ(Entries("audit.export").size(), 1u);
  EXPECT_EQ(Send("GET", "/api/v1/audit?from=yesterday", "", auditor_).status, 400);
  // What the API wrote forms one unbroken chain.
  crypto::Sm2PrivateKey key = crypto::Sm2PrivateKey::Generate();
  ASSERT_TRUE(audit::SealAll(db()).ok());
  auto report = audit::Verify(db(), key.PublicKey());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problem;
  EXPECT_EQ(report->entries, 3);  // the refusal, the read and the export
}

}  // namespace
NEMIS_STORE_TEST_SUITE(AuditTrailTest);
}  // namespace nemis::api
