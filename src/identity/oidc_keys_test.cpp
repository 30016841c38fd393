// The provider's signing keys on both back ends: made once, sealed at rest, rotated with
// the previous key still published.
#include "identity/oidc_keys.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "identity/identity_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

class OidcKeyTest : public IdentityStoreTest {
 protected:
  std::vector<std::string> PublishedKids(OidcKeyStore& keys) {
    auto jwks = keys.JwksJson();
    EXPECT_OK(jwks);
    std::vector<std::string> kids;
    const nlohmann::json set = nlohmann::json::parse(*jwks);
    for (const auto& k : set["keys"]) {
      EXPECT_EQ(k["alg"], "ES256");
      EXPECT_EQ(k["crv"], "P-256");
      EXPECT_FALSE(k.contains("d")) << "a private part in the JWKS";
      kids.push_back(k["kid"]);
    }
    return kids;
  }
  crypto::FieldCipher cipher_{crypto::FieldKeys::Generate(1)};
};

TEST_P(OidcKeyTest, TheFirstKeyIsMadeOnceSealedAndPublished) {
  OidcKeyStore keys(db(), cipher_, clock_);
  auto first = keys.Active();
  ASSERT_OK(first);
  auto again = keys.Active();
  ASSERT_OK(again);
  EXPECT_EQ(again->kid, first->kid);
  std::string message = "header.claims";
  EXPECT_TRUE(first->key.PublicKey().Verify(message, again->key.Sign(message)))
      << "the same key both times";
  EXPECT_EQ(PublishedKids(keys), std::vector<std::string>{first->kid});
  auto stored = db().Read<std::string>([](db::Connection& c) -> Result<std::string> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT private_key FROM oidc_signing_key"));
    return rs.rows.at(0).Text(0);
  });
  ASSERT_OK(stored);
  EXPECT_EQ(stored->find("PRIVATE KEY"), std::string::npos) << "the key is sealed at rest";
}

TEST_P(OidcKeyTest, RotationPublishesTheNewAndThePreviousKeyOnly) {
  OidcKeyStore keys(db(), cipher_, clock_);
  std::string k1 = keys.Active()->kid;
  Advance(std::chrono::seconds(1));
  auto k2 = keys.Rotate();
  ASSERT_OK(k2);
  EXPECT_EQ(keys.Active()->kid, *k2);
  EXPECT_EQ(PublishedKids(keys), (std::vector<std::string>{*k2, k1}));
  Advance(std::chrono::seconds(1));
  auto k3 = keys.Rotate();
  ASSERT_OK(k3);
  EXPECT_EQ(PublishedKids(keys), (std::vector<std::string>{*k3, *k2}));
}

}  // namespace
NEMIS_STORE_TEST_SUITE(OidcKeyTest);
}  // namespace nemis::identity
