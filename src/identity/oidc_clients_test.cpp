// Registering OIDC clients on both back ends.
#include "identity/oidc_clients.hpp"

#include <gtest/gtest.h>

#include "identity/identity_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

TEST(OidcRedirectUriTest, HttpsOrLoopbackWithoutFragment) {
  EXPECT_TRUE(IsAcceptableRedirectUri("https://app.gd.edu.cn/callback"));
  EXPECT_TRUE(IsAcceptableRedirectUri("http://127.0.0.1:3000/cb"));
  EXPECT_TRUE(IsAcceptableRedirectUri("http://localhost/cb"));
  EXPECT_FALSE(IsAcceptableRedirectUri("http://app.gd.edu.cn/cb"));
  EXPECT_FALSE(IsAcceptableRedirectUri("http://localhost.evil.example/cb"));
  EXPECT_FALSE(IsAcceptableRedirectUri("https://app.gd.edu.cn/cb#frag"));
  EXPECT_FALSE(IsAcceptableRedirectUri("javascript:alert(1)"));
  EXPECT_FALSE(IsAcceptableRedirectUri("https://"));
}

class OidcClientTest : public IdentityStoreTest {};

TEST_P(OidcClientTest, AConfidentialClientGetsASecretShownOnce) {
  OidcClientStore clients(db(), clock_);
  auto r = clients.Register(
      {"广州学籍查询", {"https://app.example/cb"}, {"https://app.example/bye"}, true}, "sec.admin");
  ASSERT_OK(r);
  EXPECT_TRUE(r->client.client_id.starts_with("nemis-client-"));
  EXPECT_GE(r->secret.size(), 40u);
  EXPECT_TRUE(*clients.CheckSecret(r->client.client_id, r->secret));
  EXPECT_FALSE(*clients.CheckSecret(r->client.client_id, r->secret + "x"));
  auto found = clients.Find(r->client.client_id);
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->redirect_uris, std::vector<std::string>{"https://app.example/cb"});
  EXPECT_EQ((*found)->post_logout_redirect_uris,
            std::vector<std::string>{"https://app.example/bye"});
  EXPECT_TRUE((*found)->confidential);
  auto stored = db().Read<std::string>([](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT secret_hash FROM oidc_client"));
    return rs.rows.at(0).Text(0);
  });
  EXPECT_EQ(stored->find(r->secret), std::string::npos) << "only a hash is kept";
  ASSERT_OK(clients.Disable(r->client.client_id));
  EXPECT_FALSE((*clients.Find(r->client.client_id))->active);
  EXPECT_FALSE(*clients.CheckSecret(r->client.client_id, r->secret))
      << "a disabled client authenticates no more";
  EXPECT_EQ(clients.Disable("nemis-client-none").error().kind, ErrorKind::kNotFound);
}

TEST_P(OidcClientTest, APublicClientHasNoSecretAndBadInputNamesTheField) {
  OidcClientStore clients(db(), clock_);
  auto r = clients.Register({"移动端", {"http://127.0.0.1:8765/cb"}, {}, false}, "sec.admin");
  ASSERT_OK(r);
  EXPECT_TRUE(r->secret.empty());
  EXPECT_FALSE(*clients.CheckSecret(r->client.client_id, ""));
  auto bad = clients.Register({"", {"http://app.example/cb"}, {"ftp://x"}, true}, "sec.admin");
  ASSERT_THAT(bad, nemis::testing::IsErrorCode("validation_failed"));
  std::vector<std::string> fields;
  for (const auto& f : bad.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"name", "redirectUris", "postLogoutRedirectUris"}));
  EXPECT_EQ(clients.List()->size(), 1u);
}

}  // namespace
NEMIS_STORE_TEST_SUITE(OidcClientTest);
}  // namespace nemis::identity
