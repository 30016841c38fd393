// X-Acting-Grant: a person with several grants works under one of them, with that grant's
// permissions and scope only; a grant not held is refused (and audited); /auth/me lists
// each grant's permissions so that the portal can offer the choice. Both stores.
#include <gtest/gtest.h>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "api/caller.hpp"
#include "audit/audit_query.hpp"

namespace nemis::api {
namespace {

class ActingGrantTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddAllRoutes(router_, *ctx_);
    // 天河区 and 海珠区's registry officer at once.
    auto created =
        ctx_->accounts.Create({"two.counties",
                               "两区主管",
                               "440106",
                               "Abcdefgh1234",
                               false,
                               {{"county_registrar", "440106"}, {"county_registrar", "440105"}}});
    ASSERT_TRUE(created.ok()) << created.error().message;
    auto token = ctx_->credentials.CreateApiToken(created->id, "test", std::chrono::hours(0));
    ASSERT_TRUE(token.ok());
    token_ = *token;
  }
  http::Response Get(const std::string& target, const std::string& grant = "") {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token_}};
    if (!grant.empty()) headers.emplace_back(std::string(kActingGrantHeader), grant);
    return Call("GET", target, "", headers);
  }
  std::string token_;
};

TEST_P(ActingGrantTest, UnderOneGrantOnlyItsScopeIsReached) {
  EXPECT_EQ(Get("/api/v1/orgs/440105").status, 200) << "both counties without the header";
  EXPECT_EQ(Get("/api/v1/orgs/440106").status, 200);
  EXPECT_EQ(Get("/api/v1/orgs/440106", "county_registrar@440106").status, 200);
  http::Response other = Get("/api/v1/orgs/440105", "county_registrar@440106");
  EXPECT_EQ(other.status, 404) << other.body;
  EXPECT_EQ(Get("/api/v1/orgs/440105", "county_registrar@440105").status, 200);
}

TEST_P(ActingGrantTest, AGrantNotHeldIsRefusedAndAudited) {
  for (std::string grant : {"county_registrar@440103", "school_registrar@440106", "440106", ""}) {
    if (grant.empty()) continue;
    http::Response r = Get("/api/v1/orgs/440106", grant);
    EXPECT_EQ(r.status, 403) << grant;
    EXPECT_EQ(Json::parse(r.body)["error"]["code"], "grant_not_held") << grant;
  }
  audit::AuditFilter f;
  f.action = "authz.deny";
  auto denied = audit::Query(db(), f);
  ASSERT_TRUE(denied.ok());
  ASSERT_EQ(denied->records.size(), 3u);
  EXPECT_NE(denied->records[0].entry.details.find("grant_not_held"), std::string::npos);
}

TEST_P(ActingGrantTest, MeListsEachGrantWithItsPermissions) {
  Json me = Json::parse(Get("/api/v1/auth/me").body);
  ASSERT_EQ(me["grants"].size(), 2u);
  for (const auto& g : me["grants"]) {
    EXPECT_EQ(g["role"], "county_registrar");
    const auto& permissions = g["permissions"];
    EXPECT_NE(std::find(permissions.begin(), permissions.end(), "student.view"), permissions.end());
  }
}

}  // namespace
NEMIS_STORE_TEST_SUITE(ActingGrantTest);
}  // namespace nemis::api
