// NEMIS as an OpenID Connect provider, over real HTTP against the real binary: discovery,
// sign-in on the login page, the code flow with PKCE S256, tokens checked against the
// JWKS, userinfo, rotating refresh tokens, end-session, key rotation — and refusals of
// every tampered step. (The same flow through a well-known client library: oidc_client.)
#include <gtest/gtest.h>

#include <map>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/es256.hpp"
#include "fixture.hpp"
#include "http/url.hpp"
#include "identity/jwt.hpp"

namespace nemis::it {
namespace {

using http::PercentEncode;
using nlohmann::json;

const std::map<std::string, std::string> kCheapHashes = {{"identity.argon2_memory_kib", "1024"}};
constexpr const char* kLogin = "li.na";
constexpr const char* kPassword = "Guang-zhou#2026";
constexpr const char* kCallback = "http://127.0.0.1:9/callback";
constexpr const char* kGoodbye = "http://127.0.0.1:9/goodbye";
// RFC 7636 Appendix B.
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields)
    out += (out.empty() ? "" : "&") + PercentEncode(k) + "=" + PercentEncode(v);
  return out;
}

// The value of query parameter `name` in a URL (undecoded: the tests' values need none).
std::string QueryParam(const std::string& url, const std::string& name) {
  size_t at = url.find("?" + name + "=");
  if (at == std::string::npos) at = url.find("&" + name + "=");
  if (at == std::string::npos) return "";
  size_t start = at + name.size() + 2;
  return url.substr(start, url.find('&', start) - start);
}

// A browser's cookie jar, for the provider's own paths.
class Browser {
 public:
  explicit Browser(HttpClient client) : client_(std::move(client)) {}
  HttpResponse Get(const std::string& target) {
    return Keep(client_.Get(target, {{"Cookie", Cookies()}}));
  }
  HttpResponse PostForm(const std::string& target, const std::string& body) {
    return Keep(client_.Post(
        target, body,
        {{"Cookie", Cookies()}, {"Content-Type", "application/x-www-form-urlencoded"}}));
  }
  bool Has(const std::string& name) const { return jar_.contains(name); }

 private:
  HttpResponse Keep(HttpResponse r) {
    for (const auto& [name, value] : r.headers) {
      if (!EqualsIgnoreCase(name, "Set-Cookie")) continue;
      std::string pair = value.substr(0, value.find(';'));
      std::string key = pair.substr(0, pair.find('=')), val = pair.substr(pair.find('=') + 1);
      if (value.find("Max-Age=0") != std::string::npos || val.empty())
        jar_.erase(key);
      else
        jar_[key] = val;
    }
    return r;
  }
  static bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  }
  std::string Cookies() const {
    std::string out;
    for (const auto& [k, v] : jar_) out += (out.empty() ? "" : "; ") + k + "=" + v;
    return out;
  }
  HttpClient client_;
  std::map<std::string, std::string> jar_;
};

class OidcTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    RunResult added =
        AddUserWithPassword(kLogin, "county_registrar", "440106", kPassword, kCheapHashes);
    ASSERT_TRUE(added.status.Ok()) << added.Describe();
    RunResult client =
        RunNemisOnStore({"oidc", "client", "add", "--name", "广州学籍查询", "--redirect-uri",
                         kCallback, "--post-logout-uri", kGoodbye, "--db", store().url()});
    ASSERT_TRUE(client.status.Ok()) << client.Describe();
    client_id_ = Line(client.out, "client_id: ");
    secret_ = Line(client.out, "client_secret（只显示这一次）: ");
    ASSERT_FALSE(client_id_.empty() || secret_.empty()) << client.out;
    StartServer(kCheapHashes);
    issuer_ = "http://127.0.0.1:" + std::to_string(server().port());
  }
  static std::string Line(const std::string& text, const std::string& prefix) {
    size_t at = text.find(prefix);
    if (at == std::string::npos) return "";
    size_t start = at + prefix.size();
    return text.substr(start, text.find('\n', start) - start);
  }
  std::string AuthorizeTarget(const std::string& extra = "") {
    return "/oidc/authorize?response_type=code&client_id=" + client_id_ +
           "&redirect_uri=" + PercentEncode(kCallback) +
           "&scope=openid%20profile&state=st-1&nonce=no-1&code_challenge=" + kChallenge +
           "&code_challenge_method=S256" + extra;
  }
  // Signs in through the login page from an authorization request; returns the request's redirect.
  HttpResponse SignInAndAuthorize(Browser& browser, const std::string& target) {
    HttpResponse first = browser.Get(target);
    EXPECT_EQ(first.status, 302) << first.Describe();
    std::string login_page = first.Header("Location").value_or("");
    EXPECT_TRUE(login_page.starts_with("/oidc/login?return=")) << login_page;
    HttpResponse form = browser.Get(login_page);
    EXPECT_EQ(form.status, 200) << form.Describe();
    std::string token = Line(form.body, "name=\"form_token\" value=\"");
    token = token.substr(0, token.find('"'));
    HttpResponse signed_in = browser.PostForm("/oidc/login", Form({{"return", target},
                                                                   {"form_token", token},
                                                                   {"login", kLogin},
                                                                   {"password", kPassword}}));
    EXPECT_EQ(signed_in.status, 303) << signed_in.Describe();
    EXPECT_EQ(signed_in.Header("Location").value_or(""), target);
    return browser.Get(target);
  }
  // The code from a redirect to the callback, after checking its state and issuer.
  std::string CodeFrom(const HttpResponse& redirect) {
    std::string location = redirect.Header("Location").value_or("");
    EXPECT_TRUE(location.starts_with(std::string(kCallback) + "?code=")) << redirect.Describe();
    EXPECT_EQ(QueryParam(location, "state"), "st-1");
    EXPECT_EQ(QueryParam(location, "iss"), PercentEncode(issuer_));
    return QueryParam(location, "code");
  }
  HttpResponse TokenRequest(const std::vector<std::pair<std::string, std::string>>& fields,
                            bool authenticate = true) {
    Headers headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    if (authenticate)
      headers.emplace_back("Authorization",
                           "Basic " + crypto::Base64Encode(client_id_ + ":" + secret_));
    HttpClient client = server().Client();
    return client.Post("/oidc/token", Form(fields), headers);
  }
  HttpResponse Redeem(const std::string& code, const std::string& verifier = kVerifier) {
    return TokenRequest({{"grant_type", "authorization_code"},
                         {"code", code},
                         {"redirect_uri", kCallback},
                         {"code_verifier", verifier}});
  }
  // The provider's keys as its JWKS publishes them.
  identity::JwtKeyLookup Jwks() {
    HttpClient client = server().Client();
    json keys = client.Get("/oidc/jwks").Json()["keys"];
    return [keys](std::string_view kid) -> std::optional<crypto::Es256PublicKey> {
      for (const auto& k : keys)
        if (k["kid"] == kid)
          return crypto::Es256PublicKey::FromJwk(k["x"].get<std::string>(),
                                                 k["y"].get<std::string>())
              .value();
      return std::nullopt;
    };
  }
  // Whether the browser's provider session still authorizes without the login page.
  bool StillSignedIn(Browser& browser) {
    HttpResponse r = browser.Get(AuthorizeTarget());
    return r.status == 302 &&
           r.Header("Location").value_or("").starts_with(std::string(kCallback) + "?code=");
  }
  // The CSRF token of a logout confirmation page.
  static std::string LogoutToken(const HttpResponse& page) {
    std::string token = Line(page.body, "name=\"form_token\" value=\"");
    return token.substr(0, token.find('"'));
  }
  HttpResponse UserInfo(const std::string& access_token) {
    HttpClient client = server().Client();
    return client.Get("/oidc/userinfo", {{"Authorization", "Bearer " + access_token}});
  }

  std::string client_id_, secret_, issuer_;
};

TEST_P(OidcTest, DiscoveryNamesTheEndpointsAndOnlyS256AndES256) {
  HttpClient client = server().Client();
  json d = client.Get("/.well-known/openid-configuration").Json();
  EXPECT_EQ(d["issuer"], issuer_);
  EXPECT_EQ(d["authorization_endpoint"], issuer_ + "/oidc/authorize");
  EXPECT_EQ(d["token_endpoint"], issuer_ + "/oidc/token");
  EXPECT_EQ(d["jwks_uri"], issuer_ + "/oidc/jwks");
  EXPECT_EQ(d["code_challenge_methods_supported"], json({"S256"}));
  EXPECT_EQ(d["id_token_signing_alg_values_supported"], json({"ES256"}));
  json jwks = client.Get("/oidc/jwks").Json();
  ASSERT_EQ(jwks["keys"].size(), 1u);
  EXPECT_EQ(jwks["keys"][0]["kty"], "EC");
}

TEST_P(OidcTest, TheCodeFlowGivesVerifiableTokensAndUserinfo) {
  Browser browser(server().Client());
  std::string code = CodeFrom(SignInAndAuthorize(browser, AuthorizeTarget()));
  ASSERT_FALSE(code.empty());
  HttpResponse tokens = Redeem(code);
  ASSERT_EQ(tokens.status, 200) << tokens.Describe();
  json t = tokens.Json();
  EXPECT_EQ(t["token_type"], "Bearer");
  EXPECT_EQ(tokens.Header("Cache-Control").value_or(""), "no-store");
  identity::JwtCheck id_check{"JWT", issuer_, client_id_, std::time(nullptr)};
  auto id = identity::VerifyJwt(t["id_token"].get<std::string>(), Jwks(), id_check);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ((*id)["sub"], kLogin);
  EXPECT_EQ((*id)["nonce"], "no-1");
  EXPECT_EQ((*id)["org"], "440106");
  EXPECT_EQ((*id)["org_level"], "county");
  EXPECT_EQ((*id)["roles"][0]["role"], "county_registrar");
  HttpResponse info = UserInfo(t["access_token"]);
  ASSERT_EQ(info.status, 200) << info.Describe();
  EXPECT_EQ(info.Json()["sub"], kLogin);
  EXPECT_EQ(info.Json()["org"], "440106");
  // Signed in once: the next authorization needs no login page.
  HttpResponse again = browser.Get(AuthorizeTarget());
  EXPECT_FALSE(CodeFrom(again).empty());
}

TEST_P(OidcTest, ACodeWorksOnceOnlyWithItsVerifierClientAndRedirect) {
  Browser browser(server().Client());
  std::string code = CodeFrom(SignInAndAuthorize(browser, AuthorizeTarget()));
  EXPECT_EQ(Redeem(code, std::string(43, 'a')).Json()["error"], "invalid_grant");
  EXPECT_EQ(TokenRequest({{"grant_type", "authorization_code"},
                          {"code", code},
                          {"redirect_uri", kGoodbye},
                          {"code_verifier", kVerifier}})
                .Json()["error"],
            "invalid_grant");
  EXPECT_EQ(Redeem(code + "x").Json()["error"], "invalid_grant");
  HttpResponse wrong_secret = TokenRequest({{"grant_type", "authorization_code"},
                                            {"code", code},
                                            {"client_id", client_id_},
                                            {"client_secret", "guess"}},
                                           false);
  EXPECT_EQ(wrong_secret.status, 401);
  EXPECT_EQ(wrong_secret.Json()["error"], "invalid_client");
  HttpResponse good = Redeem(code);
  ASSERT_EQ(good.status, 200) << good.Describe();
  // Replayed: refused, and the refresh token of its first use is revoked with it.
  EXPECT_EQ(Redeem(code).Json()["error"], "invalid_grant");
  EXPECT_EQ(TokenRequest(
                {{"grant_type", "refresh_token"}, {"refresh_token", good.Json()["refresh_token"]}})
                .Json()["error"],
            "invalid_grant");
}

TEST_P(OidcTest, RefreshTokensRotateAndReuseRevokesThem) {
  Browser browser(server().Client());
  json first = Redeem(CodeFrom(SignInAndAuthorize(browser, AuthorizeTarget()))).Json();
  HttpResponse second =
      TokenRequest({{"grant_type", "refresh_token"}, {"refresh_token", first["refresh_token"]}});
  ASSERT_EQ(second.status, 200) << second.Describe();
  EXPECT_NE(second.Json()["refresh_token"], first["refresh_token"]);
  EXPECT_EQ(UserInfo(second.Json()["access_token"]).status, 200);
  HttpResponse reused =
      TokenRequest({{"grant_type", "refresh_token"}, {"refresh_token", first["refresh_token"]}});
  EXPECT_EQ(reused.status, 400);
  EXPECT_EQ(reused.Json()["error"], "invalid_grant");
  EXPECT_EQ(TokenRequest({{"grant_type", "refresh_token"},
                          {"refresh_token", second.Json()["refresh_token"]}})
                .Json()["error"],
            "invalid_grant");
}

TEST_P(OidcTest, BadAuthorizationRequestsAreRefused) {
  Browser browser(server().Client());
  auto error_of = [&](const std::string& target) {
    HttpResponse r = browser.Get(target);
    EXPECT_EQ(r.status, 302) << target << ": " << r.Describe();
    return QueryParam(r.Header("Location").value_or(""), "error");
  };
  const std::string base = "/oidc/authorize?response_type=code&client_id=" + client_id_ +
                           "&redirect_uri=" + PercentEncode(kCallback) + "&state=st-1";
  // PKCE is required, S256 only: plain, none, or a challenge of the wrong shape are refused.
  EXPECT_EQ(
      error_of(base + "&scope=openid&code_challenge=" + kVerifier + "&code_challenge_method=plain"),
      "invalid_request");
  EXPECT_EQ(error_of(base + "&scope=openid"), "invalid_request");
  EXPECT_EQ(error_of(base + "&scope=openid&code_challenge=short&code_challenge_method=S256"),
            "invalid_request");
  EXPECT_EQ(error_of(base + "&scope=profile&code_challenge=" + kChallenge +
                     "&code_challenge_method=S256"),
            "invalid_scope");
  EXPECT_EQ(error_of(AuthorizeTarget("&prompt=none")), "login_required");
  // An unregistered client or redirect address gets an error page: never a redirect there.
  HttpResponse evil =
      browser.Get("/oidc/authorize?response_type=code&client_id=" + client_id_ +
                  "&redirect_uri=" + PercentEncode("https://evil.example/cb") +
                  "&scope=openid&code_challenge=" + kChallenge + "&code_challenge_method=S256");
  EXPECT_EQ(evil.status, 400) << evil.Describe();
  EXPECT_FALSE(evil.Header("Location").has_value());
  EXPECT_EQ(browser
                .Get("/oidc/authorize?response_type=code&client_id=nobody&redirect_uri=" +
                     PercentEncode(kCallback) + "&scope=openid")
                .status,
            400);
  // The login page sends back only to an authorization request of this node.
  EXPECT_EQ(browser.Get("/oidc/login?return=https%3A%2F%2Fevil.example").status, 400);
}

TEST_P(OidcTest, TamperedAccessTokensAreRefusedByUserinfo) {
  Browser browser(server().Client());
  std::string access =
      Redeem(CodeFrom(SignInAndAuthorize(browser, AuthorizeTarget()))).Json()["access_token"];
  ASSERT_EQ(UserInfo(access).status, 200);
  size_t dot1 = access.find('.'), dot2 = access.rfind('.');
  std::string header = access.substr(0, dot1), claims = access.substr(dot1 + 1, dot2 - dot1 - 1);
  json changed = json::parse(*crypto::Base64UrlDecode(claims));
  changed["sub"] = "admin";
  std::string none =
      crypto::Base64UrlEncode(R"({"alg":"none","typ":"at+jwt"})") + "." + claims + ".";
  crypto::Es256PrivateKey stranger = crypto::Es256PrivateKey::Generate();
  json self_signed = json::parse(*crypto::Base64UrlDecode(claims));
  for (const std::string& bad :
       {none, header + "." + crypto::Base64UrlEncode(changed.dump()) + access.substr(dot2),
        identity::SignJwt(self_signed, stranger, "nemis-unknown", "at+jwt"),
        access.substr(0, access.size() - 2) + (access.ends_with("AA") ? "BB" : "AA"),
        std::string("garbage")}) {
    HttpResponse r = UserInfo(bad);
    EXPECT_EQ(r.status, 401) << bad;
    EXPECT_EQ(r.Json()["error"], "invalid_token");
  }
  EXPECT_EQ(UserInfo(Redeem(CodeFrom(browser.Get(AuthorizeTarget()))).Json()["id_token"]).status,
            401)
      << "an ID token is no access token";
}

TEST_P(OidcTest, EndSessionSignsOutAndRevokesTheClientsTokens) {
  Browser browser(server().Client());
  json tokens = Redeem(CodeFrom(SignInAndAuthorize(browser, AuthorizeTarget()))).Json();
  // A valid id_token_hint for the session's own account: signed out at once, no question.
  HttpResponse bye =
      browser.Get("/oidc/logout?id_token_hint=" + tokens["id_token"].get<std::string>() +
                  "&post_logout_redirect_uri=" + PercentEncode(kGoodbye) + "&state=s-9");
  ASSERT_EQ(bye.status, 302) << bye.Describe();
  EXPECT_EQ(bye.Header("Location").value_or(""), std::string(kGoodbye) + "?state=s-9");
  EXPECT_FALSE(browser.Has("nemis_sso"));
  EXPECT_EQ(
      TokenRequest({{"grant_type", "refresh_token"}, {"refresh_token", tokens["refresh_token"]}})
          .status,
      400);
  HttpResponse after = browser.Get(AuthorizeTarget());
  EXPECT_TRUE(after.Header("Location").value_or("").starts_with("/oidc/login")) << after.Describe();
  EXPECT_EQ(
      browser.Get("/oidc/logout?post_logout_redirect_uri=" + PercentEncode("https://evil.example/"))
          .status,
      400);
}

// Another site can send the browser to the end-session endpoint with a link: without a valid
// id_token_hint for the session's own account, the user is asked (RP-Initiated Logout 1.0
// §2), and only the confirmation form, carrying its CSRF token, signs out.
TEST_P(OidcTest, LogoutWithoutAValidHintAsksTheUserToConfirm) {
  Browser browser(server().Client());
  json tokens = Redeem(CodeFrom(SignInAndAuthorize(browser, AuthorizeTarget()))).Json();
  HttpResponse page = browser.Get("/oidc/logout");
  ASSERT_EQ(page.status, 200) << page.Describe();
  EXPECT_NE(page.body.find("<form method=\"post\" action=\"/oidc/logout\">"), std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("退出登录"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("<script"), std::string::npos) << page.body;
  EXPECT_FALSE(LogoutToken(page).empty()) << page.body;
  EXPECT_EQ(page.Header("X-Frame-Options").value_or(""), "DENY");
  EXPECT_TRUE(browser.Has("nemis_sso"));
  EXPECT_TRUE(StillSignedIn(browser)) << "a GET with the cookie alone ends nothing";
  EXPECT_EQ(
      TokenRequest({{"grant_type", "refresh_token"}, {"refresh_token", tokens["refresh_token"]}})
          .status,
      200);

  // Posts without the form's token, or with another one: refused, still signed in.
  HttpResponse missing = browser.PostForm("/oidc/logout", "");
  EXPECT_EQ(missing.status, 400) << missing.Describe();
  HttpResponse forged = browser.PostForm("/oidc/logout", Form({{"form_token", "forged-token"}}));
  EXPECT_EQ(forged.status, 400) << forged.Describe();
  EXPECT_TRUE(browser.Has("nemis_sso"));
  EXPECT_TRUE(StillSignedIn(browser));
  // The token without its cookie (posted from another site's page): refused too.
  HttpClient elsewhere = server().Client();
  HttpResponse cross = elsewhere.Post("/oidc/logout", Form({{"form_token", LogoutToken(forged)}}),
                                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(cross.status, 400) << cross.Describe();
  EXPECT_TRUE(StillSignedIn(browser));

  // The user confirms on the page it was shown.
  HttpResponse confirmed =
      browser.PostForm("/oidc/logout", Form({{"form_token", LogoutToken(forged)}}));
  EXPECT_EQ(confirmed.status, 200) << confirmed.Describe();
  EXPECT_NE(confirmed.body.find("已退出"), std::string::npos) << confirmed.body;
  EXPECT_FALSE(browser.Has("nemis_sso"));
  EXPECT_FALSE(StillSignedIn(browser));
}

TEST_P(OidcTest, AConfirmedLogoutReturnsToTheClientsRegisteredAddress) {
  Browser browser(server().Client());
  CodeFrom(SignInAndAuthorize(browser, AuthorizeTarget()));
  HttpResponse page =
      browser.Get("/oidc/logout?client_id=" + client_id_ +
                  "&post_logout_redirect_uri=" + PercentEncode(kGoodbye) + "&state=s-7");
  ASSERT_EQ(page.status, 200) << page.Describe();
  EXPECT_TRUE(StillSignedIn(browser));
  HttpResponse bye = browser.PostForm("/oidc/logout", Form({{"form_token", LogoutToken(page)},
                                                            {"client_id", client_id_},
                                                            {"post_logout_redirect_uri", kGoodbye},
                                                            {"state", "s-7"}}));
  ASSERT_EQ(bye.status, 302) << bye.Describe();
  EXPECT_EQ(bye.Header("Location").value_or(""), std::string(kGoodbye) + "?state=s-7");
  EXPECT_FALSE(StillSignedIn(browser));
  // An address the client did not register is refused, confirmed or not.
  CodeFrom(SignInAndAuthorize(browser, AuthorizeTarget()));
  HttpResponse again = browser.Get("/oidc/logout");
  HttpResponse evil = browser.PostForm(
      "/oidc/logout", Form({{"form_token", LogoutToken(again)},
                            {"client_id", client_id_},
                            {"post_logout_redirect_uri", "https://evil.example/"}}));
  EXPECT_EQ(evil.status, 400) << evil.Describe();
  EXPECT_FALSE(evil.Header("Location").has_value());
  EXPECT_TRUE(StillSignedIn(browser));
}

TEST_P(OidcTest, ARotatedKeyStaysPublishedSoItsTokensStillVerify) {
  Browser browser(server().Client());
  json tokens = Redeem(CodeFrom(SignInAndAuthorize(browser, AuthorizeTarget()))).Json();
  RunResult rotated = RunNemisOnStore({"oidc", "rotate-key", "--db", store().url()});
  ASSERT_TRUE(rotated.status.Ok()) << rotated.Describe();
  HttpClient client = server().Client();
  EXPECT_EQ(client.Get("/oidc/jwks").Json()["keys"].size(), 2u);
  EXPECT_EQ(UserInfo(tokens["access_token"]).status, 200) << "signed with the previous key";
  json fresh = Redeem(CodeFrom(browser.Get(AuthorizeTarget()))).Json();
  auto header = json::parse(*crypto::Base64UrlDecode(fresh["id_token"].get<std::string>().substr(
      0, fresh["id_token"].get<std::string>().find('.'))));
  auto old_header =
      json::parse(*crypto::Base64UrlDecode(tokens["id_token"].get<std::string>().substr(
          0, tokens["id_token"].get<std::string>().find('.'))));
  EXPECT_NE(header["kid"], old_header["kid"]) << "new tokens are signed with the new key";
}

NEMIS_IT_BOTH_BACKENDS(OidcTest);

}  // namespace
}  // namespace nemis::it
