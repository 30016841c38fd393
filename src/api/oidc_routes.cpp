// The OpenID Connect provider (OpenID Connect Core 1.0 and Discovery, RFC 6749, RFC 7636
// PKCE, RFC 9207 iss): discovery, the JWK Set, the authorization endpoint (code flow,
// PKCE with S256 only), the token endpoint (codes and rotating refresh tokens), userinfo
// and end-session. The user signs in on the login page (oidc_login_page.cpp); clients
// are registered by the security administrator (oidc_client_routes.cpp).
#include <algorithm>
#include <chrono>
#include <functional>
#include <sstream>
#include <variant>

#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/oidc_protocol.hpp"
#include "api/sign_in.hpp"
#include "audit/audit_entry.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "identity/jwt.hpp"
#include "identity/oidc_tokens.hpp"

namespace nemis::api {
namespace {

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(Clock::System().Now().time_since_epoch())
      .count();
}

bool HasScope(std::string_view scope, std::string_view wanted) {
  std::istringstream words{std::string(scope)};
  std::string word;
  while (words >> word)
    if (word == wanted) return true;
  return false;
}

http::Response Redirect(const std::string& location) {
  http::Response r;
  r.status = 302;
  r.content_type = "text/plain; charset=utf-8";
  r.SetHeader("Location", location);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

http::Response Discovery(const ApiContext& ctx) {
  const std::string& iss = ctx.oidc.issuer;
  return JsonResponse(
      200,
      {{"issuer", iss},
       {"authorization_endpoint", iss + "/oidc/authorize"},
       {"token_endpoint", iss + "/oidc/token"},
       {"userinfo_endpoint", iss + "/oidc/userinfo"},
       {"jwks_uri", iss + "/oidc/jwks"},
       {"end_session_endpoint", iss + "/oidc/logout"},
       {"response_types_supported", {"code"}},
       {"response_modes_supported", {"query"}},
       {"grant_types_supported", {"authorization_code", "refresh_token"}},
       {"subject_types_supported", {"public"}},
       {"id_token_signing_alg_values_supported", {"ES256"}},
       {"token_endpoint_auth_methods_supported",
        {"client_secret_basic", "client_secret_post", "none"}},
       {"code_challenge_methods_supported", {"S256"}},
       {"scopes_supported", {"openid", "profile"}},
       {"claims_supported",
        {"sub", "name", "preferred_username", "org", "org_level", "roles", "auth_time", "nonce"}},
       {"authorization_response_iss_parameter_supported", true}});
}

// The account signed in on this browser, from the single sign-on cookie (see sign_in.hpp).
std::optional<identity::LiveSession> BrowserSession(ApiContext& ctx, const http::Request& req) {
  auto token = CookieValue(req, kSsoCookie);
  if (!token || token->empty()) return std::nullopt;
  auto live = ctx.credentials.ResolveSession(*token);
  return live.ok() ? *live : std::nullopt;
}

http::Response UnknownClientPage() {
  return HtmlPage(
      400, "无法登录",
      "<p>该应用未在本系统登记、已停用，或回调地址与登记的不一致。请联系该应用的管理员。</p>");
}

// The checks before anyone signs in; errors go back to the client's (verified) redirect URI.
std::optional<std::pair<std::string, std::string>> RequestProblem(const http::Request& req) {
  if (req.Query("response_type").value_or("") != "code")
    return std::make_pair("unsupported_response_type", "只支持授权码模式（response_type=code）");
  if (!HasScope(req.Query("scope").value_or(""), "openid"))
    return std::make_pair("invalid_scope", "scope 须包含 openid");
  if (req.Query("code_challenge_method").value_or("") != "S256")
    return std::make_pair("invalid_request",
                          "须使用 PKCE，code_challenge_method 须为 S256（不接受 plain）");
  if (!identity::IsS256Challenge(req.Query("code_challenge").value_or("")))
    return std::make_pair("invalid_request", "code_challenge 须为 43 个 base64url 字符");
  return std::nullopt;
}

http::Response Authorize(ApiContext& ctx, http::Request& req) {
  std::string client_id(req.Query("client_id").value_or("")),
      redirect_uri(req.Query("redirect_uri").value_or(""));
  std::string state(req.Query("state").value_or(""));
  auto client = ctx.oidc_clients.Find(client_id);
  if (!client.ok()) return HtmlPage(503, "暂时无法登录", "<p>系统暂时不可用，请稍后再试。</p>");
  const auto& uris = *client ? (*client)->redirect_uris : std::vector<std::string>{};
  if (!*client || !(*client)->active ||
      std::find(uris.begin(), uris.end(), redirect_uri) == uris.end())
    return UnknownClientPage();
  auto back = [&](std::string_view error, std::string_view description) {
    http::QueryList params = {{"error", std::string(error)},
                              {"error_description", std::string(description)}};
    if (!state.empty()) params.emplace_back("state", state);
    params.emplace_back("iss", ctx.oidc.issuer);
    return Redirect(WithQuery(redirect_uri, params));
  };
  if (auto problem = RequestProblem(req)) return back(problem->first, problem->second);
  auto session = BrowserSession(ctx, req);
  auto principal = session
                       ? ctx.db.Read<std::optional<identity::Principal>>([&](db::Connection& c) {
                           return identity::LoadPrincipal(c, session->account_id);
                         })
                       : Result<std::optional<identity::Principal>>(std::nullopt);
  if (!principal.ok()) return HtmlPage(503, "暂时无法登录", "<p>系统暂时不可用，请稍后再试。</p>");
  if (!*principal) {
    if (req.Query("prompt").value_or("") == "none") return back("login_required", "需要登录");
    return Redirect("/oidc/login?return=" + http::PercentEncode(req.target));
  }
  if ((*principal)->must_change_password ||
      ((*principal)->MfaRequired() && !(*principal)->mfa_enrolled))
    return HtmlPage(
        403, "暂时无法登录到该应用",
        "<p>请先登录本系统门户，修改初始密码并按要求绑定身份验证器，然后再从该应用登录。</p>");
  identity::AuthorizationGrant grant{
      client_id,
      session->account_id,
      redirect_uri,
      std::string(req.Query("code_challenge").value_or("")),
      std::string(req.Query("scope").value_or("")),
      std::nullopt,
      std::chrono::duration_cast<std::chrono::seconds>(session->started_at.time_since_epoch())
          .count()};
  if (auto nonce = req.Query("nonce")) grant.nonce = std::string(*nonce);
  auto code = ctx.oidc_grants.IssueCode(grant);
  if (!code.ok()) return HtmlPage(503, "暂时无法登录", "<p>系统暂时不可用，请稍后再试。</p>");
  (void)RecordAuditFor(ctx, req, (*principal)->login,
                       {"oidc.authorize", client_id, audit::kSuccess});
  http::QueryList params = {{"code", *code}};
  if (!state.empty()) params.emplace_back("state", state);
  params.emplace_back("iss", ctx.oidc.issuer);
  return Redirect(WithQuery(redirect_uri, params));
}

// RFC 6749 §5.2: {"error", "error_description"}; 401 for a client that failed to authenticate.
http::Response TokenError(int status, std::string_view error, std::string_view description) {
  http::Response r = JsonResponse(status, {{"error", error}, {"error_description", description}});
  r.SetHeader("Cache-Control", "no-store");
  if (status == 401) r.SetHeader("WWW-Authenticate", "Basic realm=\"nemis\"");
  return r;
}

// The client of a token request: HTTP Basic (RFC 6749 §2.3.1, form-encoded parts), or
// client_id (and client_secret) in the body. Confidential clients must prove their secret.
Result<identity::OidcClient> AuthenticateClient(ApiContext& ctx, const http::Request& req,
                                                const http::QueryList& form) {
  std::string id = Field(form, "client_id"), secret = Field(form, "client_secret");
  if (auto basic = req.Header("Authorization");
      basic && basic->size() > 6 && basic->substr(0, 6) == "Basic ") {
    auto decoded = crypto::Base64Decode(basic->substr(6));
    size_t colon = decoded.ok() ? decoded->find(':') : std::string::npos;
    http::QueryList parts;
    if (colon == std::string::npos ||
        !http::ParseFormBody(
             "id=" + decoded->substr(0, colon) + "&secret=" + decoded->substr(colon + 1), &parts)
             .ok())
      return Error::Unauthenticated("invalid_client", "客户端认证信息格式不正确");
    id = Field(parts, "id");
    secret = Field(parts, "secret");
  }
  NEMIS_ASSIGN_OR_RETURN(auto client, ctx.oidc_clients.Find(id));
  if (!client || !client->active)
    return Error::Unauthenticated("invalid_client", "应用未登记或已停用");
  if (client->confidential) {
    NEMIS_ASSIGN_OR_RETURN(bool ok, ctx.oidc_clients.CheckSecret(id, secret));
    if (!ok) return Error::Unauthenticated("invalid_client", "应用密钥不正确");
  }
  return std::move(*client);
}

Result<identity::OidcTokenSet> Mint(ApiContext& ctx, identity::TokenGrant grant,
                                    std::string refresh) {
  NEMIS_ASSIGN_OR_RETURN(auto who, ctx.db.Read<identity::OidcIdentity>([&](db::Connection& c) {
    return identity::LoadOidcIdentity(c, grant.account_id);
  }));
  NEMIS_ASSIGN_OR_RETURN(auto key, ctx.oidc_keys.Active());
  return identity::MintTokens(key, ctx.oidc, who, grant, std::move(refresh), NowSeconds());
}

http::Response Token(ApiContext& ctx, http::Request& req) {
  http::QueryList form = FormFields(req);
  auto client = AuthenticateClient(ctx, req, form);
  if (!client.ok()) {
    if (client.error().kind != ErrorKind::kUnauthenticated)
      return TokenError(503, "temporarily_unavailable", "系统暂时不可用");
    return TokenError(401, "invalid_client", client.error().message);
  }
  std::string grant_type = Field(form, "grant_type");
  Result<std::pair<identity::TokenGrant, std::string>> granted = Error::Invalid({});
  if (grant_type == "authorization_code") {
    granted = ctx.oidc_grants.RedeemCode(Field(form, "code"), client->client_id,
                                         Field(form, "redirect_uri"), Field(form, "code_verifier"));
  } else if (grant_type == "refresh_token") {
    granted = ctx.oidc_grants.RotateRefresh(Field(form, "refresh_token"), client->client_id);
    if (granted.ok()) granted->first.nonce.reset();  // a refreshed ID token carries no nonce
  } else {
    return TokenError(400, "unsupported_grant_type",
                      "grant_type 须为 authorization_code 或 refresh_token");
  }
  auto tokens = granted.ok() ? Mint(ctx, granted->first, std::move(granted->second))
                             : Result<identity::OidcTokenSet>(granted.error());
  bool ok = tokens.ok();
  (void)RecordAuditFor(
      ctx, req, "",
      {"oidc.token", client->client_id, ok ? audit::kSuccess : audit::kFailure,
       Json{{"grantType", grant_type}, {"error", ok ? "" : tokens.error().code}}.dump()});
  if (!ok) {
    if (tokens.error().code == "invalid_grant" || tokens.error().kind == ErrorKind::kNotFound)
      return TokenError(400, "invalid_grant", tokens.error().message);
    return TokenError(503, "temporarily_unavailable", "系统暂时不可用");
  }
  http::Response r = JsonResponse(200, {{"access_token", tokens->access_token},
                                        {"token_type", "Bearer"},
                                        {"expires_in", tokens->expires_in},
                                        {"id_token", tokens->id_token},
                                        {"refresh_token", tokens->refresh_token},
                                        {"scope", tokens->scope}});
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Pragma", "no-cache");
  return r;
}

// Keys the provider publishes, for checking its own tokens.
identity::JwtKeyLookup PublishedKeys(ApiContext& ctx) {
  auto published = ctx.oidc_keys.Published();  // none when the store fails: every token is refused
  auto keys = std::make_shared<std::vector<identity::OidcSigningKey>>(
      published.ok() ? std::move(*published) : std::vector<identity::OidcSigningKey>{});
  return [keys](std::string_view kid) -> std::optional<crypto::Es256PublicKey> {
    for (const auto& k : *keys)
      if (k.kid == kid) return k.key.PublicKey();
    return std::nullopt;
  };
}

http::Response UserInfo(ApiContext& ctx, http::Request& req) {
  auto refuse = [](std::string_view why) {
    http::Response r = JsonResponse(401, {{"error", "invalid_token"}, {"error_description", why}});
    r.SetHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
  };
  auto header = req.Header("Authorization");
  if (!header || header->size() < 8 || !http::EqualsIgnoreCase(header->substr(0, 7), "Bearer "))
    return refuse("缺少访问令牌");
  identity::JwtCheck check{"at+jwt", ctx.oidc.issuer, ctx.oidc.issuer, NowSeconds()};
  auto claims = identity::VerifyJwt(header->substr(7), PublishedKeys(ctx), check);
  if (!claims.ok()) return refuse(claims.error().message);
  auto id = ctx.accounts.FindId(claims->value("sub", ""));
  auto who = id.ok() && *id ? ctx.db.Read<identity::OidcIdentity>([&](db::Connection& c) {
    return identity::LoadOidcIdentity(c, **id);
  })
                            : Result<identity::OidcIdentity>(Error::NotFound("账号不存在或已停用"));
  if (!who.ok()) return refuse("账号不存在或已停用");
  http::Response r = JsonResponse(200, who->Claims());
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

// RP-Initiated Logout 1.0. A GET ends the browser's session at once only when it carries a
// valid id_token_hint (signed by this node) naming the session's own account: a client the
// user signed in to asks. Otherwise any site could sign the user out with a link or an
// image, so the user is asked to confirm (§2: the OP should ask when the hint is missing or
// names another subject): a form posting back here with a token that must match a cookie
// set with it (SameSite=Strict, HttpOnly), like the login page's. The client, its
// registered return address and the state travel with the form and are checked again.
constexpr std::string_view kLogoutFormCookie = "nemis_logout_form";

struct LogoutRequest {
  std::string client_id;
  std::string target;  // post_logout_redirect_uri, registered for the client
  std::string state;
  std::optional<std::string> login;  // the subject of a valid id_token_hint
};

using ParamOf = std::function<std::string(std::string_view)>;

// The request's parameters, checked: a hint this node did not sign or an address the client
// did not register is refused with a page (never a redirect to it).
std::variant<LogoutRequest, http::Response> ReadLogout(ApiContext& ctx, const ParamOf& param) {
  LogoutRequest out{param("client_id"), param("post_logout_redirect_uri"), param("state"),
                    std::nullopt};
  if (std::string hint = param("id_token_hint"); !hint.empty()) {
    identity::JwtCheck check{"JWT", ctx.oidc.issuer, std::nullopt, NowSeconds(), 60, false};
    auto claims = identity::VerifyJwt(hint, PublishedKeys(ctx), check);
    if (!claims.ok() || !(*claims)["sub"].is_string())
      return HtmlPage(400, "无法退出", "<p>退出请求无效（id_token_hint 校验未通过）。</p>");
    if ((*claims)["aud"].is_string()) out.client_id = (*claims)["aud"].get<std::string>();
    out.login = (*claims)["sub"].get<std::string>();
  }
  if (!out.target.empty()) {
    auto client = ctx.oidc_clients.Find(out.client_id);
    const auto* uris = client.ok() && *client ? &(*client)->post_logout_redirect_uris : nullptr;
    if (!uris || std::find(uris->begin(), uris->end(), out.target) == uris->end())
      return HtmlPage(400, "无法退出", "<p>退出后的跳转地址未在该应用登记。</p>");
  }
  return out;
}

// The login of the account a browser session belongs to ("" when it is gone or disabled).
std::string SessionLogin(ApiContext& ctx, const identity::LiveSession& session) {
  auto principal = ctx.db.Read<std::optional<identity::Principal>>(
      [&](db::Connection& c) { return identity::LoadPrincipal(c, session.account_id); });
  return principal.ok() && *principal ? (*principal)->login : "";
}

http::Response SignOut(ApiContext& ctx, const http::Request& req, const LogoutRequest& logout,
                       const std::optional<identity::LiveSession>& session,
                       const std::string& login) {
  if (session) {
    (void)ctx.credentials.CloseSession(*CookieValue(req, kSsoCookie));
    if (!logout.client_id.empty())
      (void)ctx.oidc_grants.RevokeFor(session->account_id, logout.client_id);
  }
  (void)RecordAuditFor(ctx, req, login, {"oidc.logout", logout.client_id, audit::kSuccess});
  http::Response r =
      logout.target.empty()
          ? HtmlPage(200, "已退出登录", "<p>您已退出国家教育管理信息系统。</p>")
          : Redirect(logout.state.empty() ? logout.target
                                          : WithQuery(logout.target, {{"state", logout.state}}));
  SetSessionCookies(ctx, r, "", true);
  r.headers.emplace_back("Set-Cookie",
                         std::string(kLogoutFormCookie) +
                             "=; Path=/oidc/logout; HttpOnly; SameSite=Strict; Max-Age=0");
  return r;
}

http::Response ConfirmPage(const LogoutRequest& logout, int status = 200,
                           std::string_view error = "") {
  std::string token = crypto::RandomToken(24);
  std::string html;
  if (!error.empty())
    html += "<p role=\"alert\" style=\"color:#b00\">" + HtmlEscape(error) + "</p>";
  html +=
      "<p>是否退出国家教育管理信息系统？退出后，通过本系统登录的各应用需要重新登录。</p>"
      "<form method=\"post\" action=\"/oidc/logout\">"
      "<input type=\"hidden\" name=\"form_token\" value=\"" +
      token +
      "\">"
      "<input type=\"hidden\" name=\"client_id\" value=\"" +
      HtmlEscape(logout.client_id) +
      "\">"
      "<input type=\"hidden\" name=\"post_logout_redirect_uri\" value=\"" +
      HtmlEscape(logout.target) +
      "\">"
      "<input type=\"hidden\" name=\"state\" value=\"" +
      HtmlEscape(logout.state) +
      "\">"
      "<p><button type=\"submit\">退出登录</button></p></form>"
      "<p>如果不是您本人要求退出，请直接关闭本页面，您将保持登录。</p>";
  http::Response r = HtmlPage(status, "退出登录", html);
  r.headers.emplace_back("Set-Cookie",
                         std::string(kLogoutFormCookie) + "=" + token +
                             "; Path=/oidc/logout; HttpOnly; SameSite=Strict; Max-Age=1800");
  return r;
}

http::Response EndSession(ApiContext& ctx, http::Request& req) {
  auto read = ReadLogout(
      ctx, [&req](std::string_view name) { return std::string(req.Query(name).value_or("")); });
  if (auto* page = std::get_if<http::Response>(&read)) return std::move(*page);
  const LogoutRequest& logout = std::get<LogoutRequest>(read);
  auto session = BrowserSession(ctx, req);
  if (!session)
    return SignOut(ctx, req, logout, std::nullopt, logout.login.value_or(""));  // nothing to end
  std::string login = SessionLogin(ctx, *session);
  if (logout.login && !login.empty() && *logout.login == login)
    return SignOut(ctx, req, logout, session, login);
  return ConfirmPage(logout);
}

// The user's answer to the confirmation page: signed out only with the form's token.
http::Response ConfirmEndSession(ApiContext& ctx, http::Request& req) {
  http::QueryList form = FormFields(req);
  auto read = ReadLogout(ctx, [&form](std::string_view name) {
    return name == "id_token_hint" ? "" : Field(form, name);
  });
  if (auto* page = std::get_if<http::Response>(&read)) return std::move(*page);
  const LogoutRequest& logout = std::get<LogoutRequest>(read);
  auto expected = CookieValue(req, kLogoutFormCookie);
  if (!expected || expected->empty() ||
      !crypto::ConstantTimeEquals(*expected, Field(form, "form_token"))) {
    (void)RecordAuditFor(
        ctx, req, "",
        {"oidc.logout", logout.client_id, audit::kDenied, Json{{"reason", "form_token"}}.dump()});
    return ConfirmPage(logout, 400,
                       "退出请求已过期或不是从本系统页面提交的。如需退出，请再次点击“退出登录”。");
  }
  auto session = BrowserSession(ctx, req);
  return SignOut(ctx, req, logout, session, session ? SessionLogin(ctx, *session) : "");
}

}  // namespace

void AddOidcRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "GET", "/.well-known/openid-configuration", Access::Public(),
              [&ctx](http::Request&, const Caller&) { return Discovery(ctx); });
  AddApiRoute(router, ctx, "GET", "/oidc/jwks", Access::Public(),
              [&ctx](http::Request& req, const Caller&) {
                auto jwks = ctx.oidc_keys.JwksJson();
                if (!jwks.ok()) return ErrorJson(jwks.error(), req);
                http::Response r;
                r.body = *jwks;
                r.content_type = "application/jwk-set+json";
                r.SetHeader("Cache-Control", "max-age=300");
                return r;
              });
  AddApiRoute(router, ctx, "GET", "/oidc/authorize", Access::Public(),
              [&ctx](http::Request& req, const Caller&) { return Authorize(ctx, req); });
  AddApiRoute(router, ctx, "POST", "/oidc/token", Access::Public(),
              [&ctx](http::Request& req, const Caller&) { return Token(ctx, req); });
  for (const char* method : {"GET", "POST"})
    AddApiRoute(router, ctx, method, "/oidc/userinfo", Access::Public(),
                [&ctx](http::Request& req, const Caller&) { return UserInfo(ctx, req); });
  AddApiRoute(router, ctx, "GET", "/oidc/logout", Access::Public(),
              [&ctx](http::Request& req, const Caller&) { return EndSession(ctx, req); });
  AddApiRoute(router, ctx, "POST", "/oidc/logout", Access::Public(),
              [&ctx](http::Request& req, const Caller&) { return ConfirmEndSession(ctx, req); });
}

}  // namespace nemis::api
