#include "api/sign_in.hpp"

#include <chrono>

#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/login_throttle.hpp"
#include "audit/audit_entry.hpp"

namespace nemis::api {
namespace {

std::string_view FailureName(identity::LoginFailure failure) {
  switch (failure) {
    case identity::LoginFailure::kNone:
      return "none";
    case identity::LoginFailure::kUnknownAccount:
      return "unknown_account";
    case identity::LoginFailure::kWrongPassword:
      return "wrong_password";
    case identity::LoginFailure::kLocked:
      return "locked";
    case identity::LoginFailure::kDisabled:
      return "disabled";
  }
  return "unknown";
}

// An account with an authenticator gives a code from it (or a recovery code) with
// its password. A wrong code counts as a failed login.
Status CheckSecondFactor(ApiContext& ctx, const std::string& otp,
                         const identity::Principal& principal) {
  if (!principal.mfa_enrolled) return {};
  if (otp.empty())
    return Error::Unauthenticated("mfa_required", "请输入身份验证器上的动态口令（或一个恢复码）");
  NEMIS_ASSIGN_OR_RETURN(bool accepted, ctx.mfa.Check(principal.account_id, otp));
  if (accepted) return {};
  NEMIS_TRY(ctx.authenticator.RecordFailure(principal.account_id));
  return Error::Unauthenticated(std::string(identity::kLoginFailedCode), "动态口令不正确或已使用");
}

std::string Cookie(const ApiContext& ctx, std::string_view name, std::string_view value,
                   std::string_view attributes, bool expire) {
  std::string cookie =
      std::string(name) + "=" + std::string(value) + "; " + std::string(attributes) + "; HttpOnly";
  if (ctx.secure_cookies) cookie += "; Secure";
  if (expire) cookie += "; Max-Age=0";
  return cookie;
}

}  // namespace

Result<SignedIn> SignIn(ApiContext& ctx, const http::Request& req, const std::string& login,
                        const std::string& password, const std::string& otp) {
  if (!ctx.login_throttle->Allow(req.remote_address, std::chrono::steady_clock::now()))
    return Error::Throttled("登录尝试过于频繁，请一分钟后再试");
  identity::LoginFailure failure = identity::LoginFailure::kNone;
  auto outcome = ctx.authenticator.CheckPassword(login, password, &failure);
  if (!outcome.ok()) {
    // The caller hears the same for every failure; the audit log records the truth. A
    // login that names no account is not recorded: it may be anything a user typed.
    bool known = failure != identity::LoginFailure::kUnknownAccount;
    (void)RecordAuditFor(
        ctx, req, known ? login : "",
        {"auth.login", "", audit::kFailure, Json{{"reason", FailureName(failure)}}.dump()});
    return std::move(outcome).error();
  }
  NEMIS_ASSIGN_OR_RETURN(auto principal,
                         ctx.db.Read<std::optional<identity::Principal>>([&](db::Connection& c) {
                           return identity::LoadPrincipal(c, outcome->account_id);
                         }));
  if (!principal)
    return Error::Unauthenticated(std::string(identity::kLoginFailedCode), "登录名或密码不正确");
  if (Status second = CheckSecondFactor(ctx, otp, *principal); !second.ok()) {
    (void)RecordAuditFor(
        ctx, req, login,
        {"auth.login", "", audit::kFailure, Json{{"reason", second.error().code}}.dump()});
    return std::move(second).error();
  }
  (void)RecordAuditFor(
      ctx, req, login,
      {"auth.login", "", audit::kSuccess,
       Json{{"mfa", principal->mfa_enrolled}, {"grants", principal->GrantSummary()}}.dump()});
  NEMIS_ASSIGN_OR_RETURN(auto session,
                         ctx.credentials.OpenSession(outcome->account_id, req.remote_address));
  return SignedIn{std::move(*principal), std::move(session), outcome->must_change_password};
}

void SetSessionCookies(const ApiContext& ctx, http::Response& r, std::string_view token,
                       bool expire) {
  r.headers.emplace_back("Set-Cookie",
                         Cookie(ctx, kSessionCookie, token, "Path=/; SameSite=Strict", expire));
  r.headers.emplace_back("Set-Cookie",
                         Cookie(ctx, kSsoCookie, token, "Path=/oidc; SameSite=Lax", expire));
}

}  // namespace nemis::api
