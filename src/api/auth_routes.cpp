// /api/v1/auth: signing in and out with a password, the caller's own profile, and
// changing one's password. A browser session is a cookie (HttpOnly, SameSite=Strict,
// Secure when served over HTTPS; see sign_in.hpp) plus a CSRF token the portal sends on writes.
#include <set>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/sign_in.hpp"
#include "audit/audit_entry.hpp"

namespace nemis::api {
namespace {

Json PrincipalJson(const identity::Principal& p) {
  Json grants = Json::array();
  std::set<std::string> permissions;
  for (const auto& g : p.grants) {
    grants.push_back({{"role", g.role},
                      {"title", g.role_title},
                      {"org", g.where.code},
                      {"level", org::OrgLevelId(g.where.level)},
                      {"mfaRequired", g.mfa_required},
                      {"permissions", g.permissions}});
    permissions.insert(g.permissions.begin(), g.permissions.end());
  }
  return {{"login", p.login},
          {"displayName", p.display_name},
          {"org", p.org_code},
          {"mustChangePassword", p.must_change_password},
          {"mfaEnrolled", p.mfa_enrolled},
          {"mfaEnrolmentRequired", p.MfaRequired() && !p.mfa_enrolled},
          {"grants", grants},
          {"permissions", permissions}};
}

Result<std::pair<std::string, std::string>> Credentials(const http::Request& req, const char* first,
                                                        const char* second) {
  NEMIS_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  std::vector<FieldError> missing;
  for (const char* field : {first, second})
    if (!body[field].is_string() || body[field].get<std::string>().empty())
      missing.push_back({field, "required", std::string("请填写 ") + field});
  if (!missing.empty()) return Error::Invalid(std::move(missing));
  return std::make_pair(body[first].get<std::string>(), body[second].get<std::string>());
}

http::Response Login(ApiContext& ctx, http::Request& req) {
  auto given = Credentials(req, "login", "password");
  if (!given.ok()) return ErrorJson(given.error(), req);
  Json body = *ParseJsonObject(req);
  std::string otp =
      body.contains("otp") && body["otp"].is_string() ? body["otp"].get<std::string>() : "";
  auto signed_in = SignIn(ctx, req, given->first, given->second, otp);
  if (!signed_in.ok()) return ErrorJson(signed_in.error(), req);
  Json out = PrincipalJson(signed_in->principal);
  out["mustChangePassword"] = signed_in->must_change_password;
  out["csrfToken"] = signed_in->session.csrf_token;
  http::Response r = JsonResponse(200, out);
  SetSessionCookies(ctx, r, signed_in->session.token, false);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

http::Response Logout(ApiContext& ctx, http::Request& req, const Caller& caller) {
  if (!caller.session_token.empty()) {
    Status closed = ctx.credentials.CloseSession(caller.session_token);
    if (!closed.ok()) return ErrorJson(closed.error(), req);
  }
  (void)RecordAudit(ctx, req, &caller, {"auth.logout", caller.account, audit::kSuccess});
  http::Response r{.status = 204};
  SetSessionCookies(ctx, r, "", true);
  return r;
}

http::Response ChangePassword(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto given = Credentials(req, "currentPassword", "newPassword");
  if (!given.ok()) return ErrorJson(given.error(), req);
  auto current = ctx.authenticator.CheckPassword(caller.account, given->first);
  if (!current.ok()) {
    (void)RecordAudit(ctx, req, &caller,
                      {"auth.password_change", caller.account, audit::kFailure,
                       R"({"reason":"wrong_password"})"});
    return ErrorJson(Error::Invalid({{"currentPassword", "wrong_password", "当前密码不正确"}}),
                     req);
  }
  Status changed = ctx.accounts.ChangePassword(caller.account, given->second);
  (void)RecordAudit(
      ctx, req, &caller,
      {"auth.password_change", caller.account, changed.ok() ? audit::kSuccess : audit::kFailure,
       changed.ok()
           ? "{}"
           : Json{{"reason", changed.error().fields.empty() ? changed.error().code
                                                            : changed.error().fields[0].code}}
                 .dump()});
  if (!changed.ok()) return ErrorJson(changed.error(), req);
  http::Response r{.status = 204};  // every session of the account has ended, this one too
  SetSessionCookies(ctx, r, "", true);
  return r;
}

http::Response BeginMfa(ApiContext& ctx, http::Request& req, const Caller& caller) {
  // Replacing a bound authenticator needs a code from it: a stolen session alone must
  // not be enough to take the second factor over.
  if (caller.principal->mfa_enrolled) {
    auto body = ParseJsonObject(req);
    std::string code =
        body.ok() && (*body)["otp"].is_string() ? (*body)["otp"].get<std::string>() : "";
    auto accepted =
        code.empty() ? Result<bool>(false) : ctx.mfa.Check(caller.principal->account_id, code);
    if (!accepted.ok()) return ErrorJson(accepted.error(), req);
    if (!*accepted)
      return ErrorJson(
          Error::Invalid({{"otp", "wrong_code", "更换身份验证器须先输入当前验证器的动态口令"}}),
          req);
  }
  auto enrolment = ctx.mfa.Begin(caller.principal->account_id, caller.account);
  if (!enrolment.ok()) return ErrorJson(enrolment.error(), req);
  http::Response r = JsonResponse(200, {{"secret", enrolment->secret},
                                        {"otpauthUri", enrolment->otpauth_uri},
                                        {"qrSvg", enrolment->qr_svg}});
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

http::Response ConfirmMfa(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  if (!(*body)["code"].is_string())
    return ErrorJson(Error::Invalid({{"code", "required", "请填写身份验证器上的 6 位动态口令"}}),
                     req);
  auto codes = ctx.mfa.Confirm(caller.principal->account_id, (*body)["code"].get<std::string>());
  (void)RecordAudit(
      ctx, req, &caller,
      {"auth.mfa_bind", caller.account, codes.ok() ? audit::kSuccess : audit::kFailure});
  if (!codes.ok()) return ErrorJson(codes.error(), req);
  http::Response r = JsonResponse(200, {{"recoveryCodes", *codes}});
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace

void AddAuthRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "POST", "/api/v1/auth/login", Access::Public(),
              [&ctx](http::Request& req, const Caller&) { return Login(ctx, req); });
  AddApiRoute(router, ctx, "POST", "/api/v1/auth/logout", Access::SignedIn(),
              [&ctx](http::Request& req, const Caller& c) { return Logout(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/auth/me", Access::SignedIn(),
              [](http::Request&, const Caller& c) {
                Json body = PrincipalJson(*c.principal);
                if (!c.csrf_token.empty()) body["csrfToken"] = c.csrf_token;
                return JsonResponse(200, body);
              });
  AddApiRoute(router, ctx, "POST", "/api/v1/auth/password", Access::SignedIn(),
              [&ctx](http::Request& req, const Caller& c) { return ChangePassword(ctx, req, c); });
  AddApiRoute(router, ctx, "POST", "/api/v1/auth/mfa/totp", Access::SignedIn(),
              [&ctx](http::Request& req, const Caller& c) { return BeginMfa(ctx, req, c); });
  AddApiRoute(router, ctx, "POST", "/api/v1/auth/mfa/totp/confirm", Access::SignedIn(),
              [&ctx](http::Request& req, const Caller& c) { return ConfirmMfa(ctx, req, c); });
}

}  // namespace nemis::api
