// Tokens as an attacker or a broken client may send them (found by fuzz/jwt_fuzz.cpp):
// header members of the wrong JSON type are refused like any bad token, not thrown on,
// and extreme claim values are compared without overflow.
#include <gtest/gtest.h>

#include <limits>

#include "crypto/encoding.hpp"
#include "identity/jwt.hpp"

namespace nemis::identity {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1796300000;

class JwtUntrustedTest : public ::testing::Test {
 protected:
  JwtKeyLookup Keys() {
    return [this](std::string_view kid) -> std::optional<crypto::Es256PublicKey> {
      if (kid == "k1") return key_.PublicKey();
      return std::nullopt;
    };
  }
  JwtCheck Check() { return {"JWT", "https://nemis.example", "client-1", kNow}; }
  json Claims() {
    return {{"iss", "https://nemis.example"},
            {"sub", "gz.clerk"},
            {"aud", "client-1"},
            {"exp", kNow + 600}};
  }
  // A token with this exact header, signed with the key (as if the signer were careless).
  std::string Signed(const json& header, const json& claims) {
    std::string input =
        crypto::Base64UrlEncode(header.dump()) + "." + crypto::Base64UrlEncode(claims.dump());
    return input + "." + crypto::Base64UrlEncode(key_.Sign(input));
  }

  crypto::Es256PrivateKey key_ = crypto::Es256PrivateKey::Generate();
};

TEST_F(JwtUntrustedTest, RefusesHeaderMembersOfAnotherTypeWithoutThrowing) {
  const json headers[] = {
      {{"alg", 1}, {"typ", "JWT"}, {"kid", "k1"}},
      {{"alg", "ES256"}, {"typ", json::array({"JWT"})}, {"kid", "k1"}},
      {{"alg", "ES256"}, {"typ", "JWT"}, {"kid", nullptr}},
      {{"alg", "ES256"}, {"typ", "JWT"}, {"kid", {{"k", "k1"}}}},
  };
  for (const json& header : headers) {
    Result<json> r = Error::Internal("not run");
    EXPECT_NO_THROW(r = VerifyJwt(Signed(header, Claims()), Keys(), Check())) << header.dump();
    ASSERT_FALSE(r.ok()) << header.dump();
    EXPECT_EQ(r.error().code, "invalid_token");
  }
}

TEST_F(JwtUntrustedTest, RefusesAnIssuerOfAnotherTypeWithoutThrowing) {
  json claims = Claims();
  claims["iss"] = 42;
  Result<json> r = Error::Internal("not run");
  EXPECT_NO_THROW(r = VerifyJwt(Signed({{"alg", "ES256"}, {"typ", "JWT"}, {"kid", "k1"}}, claims),
                                Keys(), Check()));
  EXPECT_FALSE(r.ok());
}

TEST_F(JwtUntrustedTest, ComparesTheLargestExpiryWithoutOverflow) {
  json claims = Claims();
  claims["exp"] = std::numeric_limits<int64_t>::max();  // exp + leeway used to overflow
  auto r =
      VerifyJwt(Signed({{"alg", "ES256"}, {"typ", "JWT"}, {"kid", "k1"}}, claims), Keys(), Check());
  EXPECT_TRUE(r.ok()) << r.error().message;
  claims["exp"] = std::numeric_limits<int64_t>::min();
  EXPECT_FALSE(
      VerifyJwt(Signed({{"alg", "ES256"}, {"typ", "JWT"}, {"kid", "k1"}}, claims), Keys(), Check())
          .ok());
}

}  // namespace
}  // namespace nemis::identity
