// ES256 JWTs: what the provider signs verifies, and every tampering is refused.
#include "identity/jwt.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1796300000;

class JwtTest : public ::testing::Test {
 protected:
  JwtKeyLookup Keys() {
    return [this](std::string_view kid) -> std::optional<crypto::Es256PublicKey> {
      if (kid == "k1") return key_.PublicKey();
      return std::nullopt;
    };
  }
  json Claims(int64_t exp = kNow + 600) {
    return {{"iss", "https://nemis.example"},
            {"sub", "gz.clerk"},
            {"aud", "client-1"},
            {"iat", kNow},
            {"exp", exp}};
  }
  JwtCheck Check() { return {"JWT", "https://nemis.example", "client-1", kNow}; }
  std::string ErrorOf(const std::string& token, JwtCheck check) {
    auto r = VerifyJwt(token, Keys(), check);
    return r.ok() ? "accepted" : r.error().message;
  }
  // The token with its header or claims replaced, re-encoded, signature kept.
  static std::string Replace(const std::string& token, size_t part, const json& value) {
    size_t first = token.find('.'), second = token.find('.', first + 1);
    std::string parts[3] = {token.substr(0, first), token.substr(first + 1, second - first - 1),
                            token.substr(second + 1)};
    parts[part] = crypto::Base64UrlEncode(value.dump());
    return parts[0] + "." + parts[1] + "." + parts[2];
  }

  crypto::Es256PrivateKey key_ = crypto::Es256PrivateKey::Generate();
};

TEST_F(JwtTest, VerifiesWhatItSigned) {
  std::string token = SignJwt(Claims(), key_, "k1");
  auto claims = VerifyJwt(token, Keys(), Check());
  ASSERT_OK(claims);
  EXPECT_EQ((*claims)["sub"], "gz.clerk");
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
  // An audience list holding the client is accepted too.
  json listed = Claims();
  listed["aud"] = {"other", "client-1"};
  EXPECT_OK(VerifyJwt(SignJwt(listed, key_, "k1"), Keys(), Check()));
}

TEST_F(JwtTest, RefusesAlgNoneAndOtherAlgorithms) {
  std::string token = SignJwt(Claims(), key_, "k1");
  EXPECT_NE(ErrorOf(Replace(token, 0, {{"alg", "none"}, {"typ", "JWT"}, {"kid", "k1"}}), Check()),
            "accepted");
  EXPECT_NE(ErrorOf(Replace(token, 0, {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "k1"}}), Check()),
            "accepted");
  std::string unsigned_token = token.substr(0, token.rfind('.') + 1);
  EXPECT_NE(ErrorOf(Replace(unsigned_token, 0, {{"alg", "none"}, {"typ", "JWT"}}), Check()),
            "accepted");
}

TEST_F(JwtTest, RefusesAWrongSignatureOrChangedClaims) {
  std::string token = SignJwt(Claims(), key_, "k1");
  json changed = Claims();
  changed["sub"] = "admin";
  EXPECT_NE(ErrorOf(Replace(token, 1, changed), Check()), "accepted");
  crypto::Es256PrivateKey other = crypto::Es256PrivateKey::Generate();
  EXPECT_NE(ErrorOf(SignJwt(Claims(), other, "k1"), Check()), "accepted");
  EXPECT_NE(ErrorOf(token.substr(0, token.size() - 4) + "AAAA", Check()), "accepted");
  EXPECT_NE(ErrorOf("not.a.token", Check()), "accepted");
  EXPECT_NE(ErrorOf("onlyonepart", Check()), "accepted");
}

TEST_F(JwtTest, RefusesAnUnknownKeyIdExpiryAudienceIssuerAndType) {
  EXPECT_NE(ErrorOf(SignJwt(Claims(), key_, "k9"), Check()), "accepted");
  EXPECT_NE(ErrorOf(SignJwt(Claims(kNow - 61), key_, "k1"), Check()), "accepted");
  EXPECT_EQ(ErrorOf(SignJwt(Claims(kNow - 30), key_, "k1"), Check()),
            "accepted");  // within the leeway
  JwtCheck late = Check();
  late.check_expiry = false;  // an id_token_hint may have expired
  EXPECT_EQ(ErrorOf(SignJwt(Claims(kNow - 3600), key_, "k1"), late), "accepted");
  JwtCheck other_client = Check();
  other_client.audience = "client-2";
  EXPECT_NE(ErrorOf(SignJwt(Claims(), key_, "k1"), other_client), "accepted");
  JwtCheck other_issuer = Check();
  other_issuer.issuer = "https://evil.example";
  EXPECT_NE(ErrorOf(SignJwt(Claims(), key_, "k1"), other_issuer), "accepted");
  EXPECT_NE(ErrorOf(SignJwt(Claims(), key_, "k1", "at+jwt"), Check()),
            "accepted");  // an access token is no ID token
  json future = Claims();
  future["nbf"] = kNow + 3600;
  EXPECT_NE(ErrorOf(SignJwt(future, key_, "k1"), Check()), "accepted");
}

}  // namespace
}  // namespace nemis::identity
