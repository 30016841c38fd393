#include "api/caller.hpp"

#include "api/principal_cache.hpp"
#include "crypto/encoding.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kBearer = "bearer ";

// The token of an "Authorization: Bearer ..." header (the scheme is case-insensitive,
// RFC 7235); nullopt for another scheme.
std::optional<std::string_view> BearerToken(std::string_view header) {
  if (header.size() < kBearer.size() ||
      !http::EqualsIgnoreCase(header.substr(0, kBearer.size()), kBearer))
    return std::nullopt;
  return header.substr(kBearer.size());
}

bool IsSafeMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

struct Credential {
  int64_t account_id = 0;
  std::string session_token, csrf_token;  // empty for API tokens
};

// The account the request's credential stands for. A Bearer token wins over a
// cookie: machine clients send no cookies, and browsers send no Authorization.
Result<Credential> Authenticate(ApiContext& ctx, const http::Request& request) {
  if (auto auth = request.Header("Authorization")) {
    auto token = BearerToken(*auth);
    if (!token)
      return Error::Unauthenticated("bad_credentials", "Authorization 头应为 Bearer 令牌");
    NEMIS_ASSIGN_OR_RETURN(auto account, ctx.credentials.ResolveApiToken(*token));
    if (!account) return Error::Unauthenticated("bad_credentials", "令牌无效、已过期或已吊销");
    return Credential{*account, "", ""};
  }
  auto cookie = CookieValue(request, kSessionCookie);
  if (!cookie) return Error::Unauthenticated();
  NEMIS_ASSIGN_OR_RETURN(auto session, ctx.credentials.ResolveSession(*cookie));
  if (!session) return Error::Unauthenticated("session_expired", "登录已过期，请重新登录");
  // A cookie rides along on any request the browser makes, including ones another
  // site triggers; a write must also show the token only our own pages can read.
  if (!IsSafeMethod(request.method)) {
    auto csrf = request.Header(kCsrfHeader);
    if (!csrf || !crypto::ConstantTimeEquals(*csrf, session->csrf_token))
      return Error{ErrorKind::kForbidden,
                   "csrf_failed",
                   "请求缺少有效的 X-CSRF-Token，请刷新页面后重试",
                   {}};
  }
  return Credential{session->account_id, std::string(*cookie), session->csrf_token};
}

}  // namespace

// The account behind the request's credential, with its grants. API tokens come from
// the cache when they can (see principal_cache.hpp).
Result<Caller> Identify(ApiContext& ctx, const http::Request& request) {
  auto now = PrincipalCache::Clock::now();
  auto auth = request.Header("Authorization");
  std::string token(auth ? BearerToken(*auth).value_or("") : "");
  if (!token.empty())
    if (auto cached = ctx.token_principals->Find(token, now))
      return Caller{cached->login, {}, cached, "", ""};
  NEMIS_ASSIGN_OR_RETURN(Credential credential, Authenticate(ctx, request));
  NEMIS_ASSIGN_OR_RETURN(auto loaded,
                         ctx.db.Read<std::optional<identity::Principal>>([&](db::Connection& c) {
                           return identity::LoadPrincipal(c, credential.account_id);
                         }));
  if (!loaded) return Error::Unauthenticated("account_disabled", "账号已停用");
  auto principal = std::make_shared<const identity::Principal>(std::move(*loaded));
  if (!token.empty()) ctx.token_principals->Put(token, principal, now);
  return Caller{principal->login,
                {},
                principal,
                std::move(credential.session_token),
                std::move(credential.csrf_token)};
}

std::optional<std::string_view> CookieValue(const http::Request& request, std::string_view name) {
  auto header = request.Header("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    size_t end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return std::nullopt;
}

Status ActUnder(Caller& caller, const http::Request& request) {
  auto wanted = request.Header(kActingGrantHeader);
  if (!wanted || !caller.principal) return {};
  const identity::Principal& p = *caller.principal;
  if (p.must_change_password || (p.MfaRequired() && !p.mfa_enrolled)) return {};
  for (const identity::Grant& g : p.grants) {
    if (g.role + "@" + g.where.code != *wanted) continue;
    auto acting = std::make_shared<identity::Principal>(p);
    acting->grants = {g};
    caller.principal = std::move(acting);
    return {};
  }
  return Error{ErrorKind::kForbidden, "grant_not_held", "您没有 X-Acting-Grant 所指的授权", {}};
}

Status Authorize(Caller& caller, const Access& access) {
  if (access.kind != Access::Kind::kPermission) return {};
  if (caller.principal->must_change_password)
    return Error{ErrorKind::kForbidden, "password_change_required", "请先修改密码", {}};
  // A session of a role that requires a second factor works only for enrolling one
  // until the account has it (API tokens are issued by the operator on the node).
  if (!caller.session_token.empty() && caller.principal->MfaRequired() &&
      !caller.principal->mfa_enrolled)
    return Error{ErrorKind::kForbidden,
                 "mfa_enrolment_required",
                 "您的角色要求动态口令，请先绑定身份验证器",
                 {}};
  if (!caller.principal->Has(access.permission))
    return Error::Forbidden("没有执行此操作的权限（" + std::string(access.permission) + "）");
  caller.scope = caller.principal->ScopeFor(access.permission);
  return {};
}

}  // namespace nemis::api
