// Registering OIDC clients through the real routes: the security administrator may, the
// secret is shown once, bad input names the field, a disabled client is listed as such.
#include <gtest/gtest.h>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"

namespace nemis::api {
namespace {

class OidcClientRoutesTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddAllRoutes(router_, *ctx_);
    admin_ = TokenFor("sec.gd", "security_admin", "440000");
  }
  http::Response As(const std::string& token, std::string method, const std::string& target,
                    std::string body = "") {
    return Call(std::move(method), target, std::move(body), {{"Authorization", "Bearer " + token}});
  }
  std::string admin_;
};

TEST_P(OidcClientRoutesTest, TheSecurityAdministratorRegistersListsAndDisablesClients) {
  http::Response made =
      As(admin_, "POST", "/api/v1/oidc/clients",
         R"({"name":"广州学籍查询","redirectUris":["https://app.gz.edu.cn/cb"]})");
  ASSERT_EQ(made.status, 201) << made.body;
  Json client = Json::parse(made.body);
  EXPECT_TRUE(client["clientId"].get<std::string>().starts_with("nemis-client-"));
  EXPECT_GE(client["clientSecret"].get<std::string>().size(), 40u);
  EXPECT_EQ(client["public"], false);
  http::Response listed = As(admin_, "GET", "/api/v1/oidc/clients");
  ASSERT_EQ(listed.status, 200);
  Json items = Json::parse(listed.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].contains("clientSecret")) << "shown once only";
  std::string id = client["clientId"];
  EXPECT_EQ(As(admin_, "POST", "/api/v1/oidc/clients/" + id + "/disable").status, 204);
  EXPECT_EQ(Json::parse(As(admin_, "GET", "/api/v1/oidc/clients").body)["items"][0]["active"],
            false);
  EXPECT_EQ(As(admin_, "POST", "/api/v1/oidc/clients/nemis-client-none/disable").status, 404);
}

TEST_P(OidcClientRoutesTest, BadInputNamesTheFieldAndOthersMayNotRegister) {
  http::Response bad =
      As(admin_, "POST", "/api/v1/oidc/clients",
         R"({"name":"x","redirectUris":["http://app.example/cb"],"postLogoutRedirectUris":"no"})");
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Json::parse(bad.body)["error"]["fields"][0]["field"], "postLogoutRedirectUris");
  http::Response http_uri = As(admin_, "POST", "/api/v1/oidc/clients",
                               R"({"name":"x","redirectUris":["http://app.example/cb"]})");
  ASSERT_EQ(http_uri.status, 422);
  EXPECT_EQ(Json::parse(http_uri.body)["error"]["fields"][0]["code"], "bad_uri");
  std::string registrar = TokenFor("gd.officer", "province_registrar", "440000");
  EXPECT_EQ(As(registrar, "POST", "/api/v1/oidc/clients",
               R"({"name":"x","redirectUris":["https://a.b/c"]})")
                .status,
            403);
  EXPECT_EQ(Call("GET", "/api/v1/oidc/clients", "").status, 401);
}

}  // namespace
NEMIS_STORE_TEST_SUITE(OidcClientRoutesTest);
}  // namespace nemis::api
