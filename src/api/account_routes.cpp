// /api/v1/accounts: account administration by the security administrator, within
// the subtree its grant covers. One-time passwords are returned once, never stored.
#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/case_support.hpp"
#include "api/principal_cache.hpp"
#include "audit/audit_entry.hpp"
#include "identity/permissions.hpp"

namespace nemis::api {
namespace {

namespace perm = identity::perm;

Json SummaryJson(const identity::AccountSummary& a) {
  return {{"login", a.login},   {"displayName", a.display_name}, {"org", a.org_code},
          {"status", a.status}, {"mfaEnrolled", a.mfa_enrolled}, {"grants", a.grants}};
}

Result<std::string> TextField(const Json& body, const char* name, const char* label) {
  if (!body.contains(name) || !body[name].is_string() || body[name].get<std::string>().empty())
    return Error::Invalid({{name, "required", std::string("请填写") + label}});
  return body[name].get<std::string>();
}

Result<identity::NewAccount> NewAccountFrom(const Json& body) {
  identity::NewAccount a;
  NEMIS_ASSIGN_OR_RETURN(a.login, TextField(body, "login", "登录名"));
  NEMIS_ASSIGN_OR_RETURN(a.display_name, TextField(body, "displayName", "姓名"));
  NEMIS_ASSIGN_OR_RETURN(a.org_code, TextField(body, "org", "所属机构代码"));
  if (body.contains("grants")) {
    if (!body["grants"].is_array())
      return Error::Invalid({{"grants", "bad_type", "grants 应为数组"}});
    for (const auto& g : body["grants"]) {
      NEMIS_ASSIGN_OR_RETURN(std::string role, TextField(g, "role", "角色"));
      NEMIS_ASSIGN_OR_RETURN(std::string org, TextField(g, "org", "授权机构代码"));
      a.grants.push_back({role, org});
    }
  }
  return a;
}

Json PendingJson(const identity::PendingChange& p) {
  Json out = {{"caseId", p.case_id}, {"case", "/api/v1/cases/" + std::to_string(p.case_id)}};
  if (!p.role.empty()) {
    out["role"] = p.role;
    out["org"] = p.org_code;
  }
  return out;
}

http::Response OneTimePassword(int status, const std::string& login, const std::string& password,
                               const Json& extra = Json::object()) {
  Json body = {{"login", login}, {"password", password}, {"mustChangePassword", true}};
  body.update(extra);
  http::Response r = JsonResponse(status, body);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

http::Response List(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto limit = IntParam(req, "limit", 50, 1, 500);
  if (!limit.ok()) return ErrorJson(limit.error(), req);
  auto page = ctx.account_admin.List(caller.scope, req.Query("q").value_or(""), *limit,
                                     req.Query("after").value_or(""));
  if (!page.ok()) return ErrorJson(page.error(), req);
  Json items = Json::array();
  for (const auto& a : page->items) items.push_back(SummaryJson(a));
  return JsonResponse(200,
                      {{"items", items}, {"next", page->next ? Json(*page->next) : Json(nullptr)}});
}

http::Response Create(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto account = NewAccountFrom(*body);
  if (!account.ok()) return ErrorJson(account.error(), req);
  auto created =
      ctx.account_admin.Create(caller.scope, ActorOf(req, caller), *account, caller.write);
  if (!created.ok()) return ErrorJson(created.error(), req);
  // The route's own audit entry names only the path: say whom it created, with what.
  Json grants = Json::array();
  for (const auto& g : account->grants) grants.push_back(g.role + "@" + g.org_code);
  (void)RecordAudit(ctx, req, &caller,
                    {"account.create", account->login, audit::kSuccess,
                     Json{{"org", account->org_code}, {"grants", grants}}.dump()});
  Json pending = Json::array();
  for (const auto& p : created->pending) pending.push_back(PendingJson(p));
  return OneTimePassword(201, account->login, created->password, {{"pendingGrants", pending}});
}

http::Response Grant(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto role = TextField(*body, "role", "角色");
  if (!role.ok()) return ErrorJson(role.error(), req);
  auto org = TextField(*body, "org", "授权机构代码");
  if (!org.ok()) return ErrorJson(org.error(), req);
  auto pending = ctx.account_admin.Grant(caller.scope, ActorOf(req, caller), req.PathParam("login"),
                                         *role, *org, caller.write);
  if (!pending.ok()) return ErrorJson(pending.error(), req);
  if (*pending) return JsonResponse(202, PendingJson(**pending));  // waits for a second person
  ctx.token_principals->Clear();  // cached grants of this account's tokens are stale
  return http::Response{.status = 204};
}

http::Response SetActive(ApiContext& ctx, http::Request& req, const Caller& caller, bool active) {
  Status s =
      ctx.account_admin.SetActive(caller.scope, req.PathParam("login"), active, caller.write);
  if (!s.ok()) return ErrorJson(s.error(), req);
  ctx.token_principals->Clear();  // a disabled account's tokens must stop now
  return http::Response{.status = 204};
}

http::Response ResetPassword(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto reset = ctx.account_admin.ResetPassword(caller.scope, ActorOf(req, caller),
                                               req.PathParam("login"), caller.write);
  if (!reset.ok()) return ErrorJson(reset.error(), req);
  // An administrator's new password is in force only once a second administrator approves.
  if (reset->pending)
    return OneTimePassword(202, req.PathParam("login"), reset->password,
                           {{"pending", PendingJson(*reset->pending)}});
  ctx.token_principals->Clear();  // its tokens must ask for the password change now
  return OneTimePassword(200, req.PathParam("login"), reset->password);
}

}  // namespace

void AddAccountRoutes(http::Router& router, ApiContext& ctx) {
  Access admin = Access::Needs(perm::kAccountAdminister);
  AddApiRoute(router, ctx, "GET", "/api/v1/accounts", admin,
              [&ctx](http::Request& req, const Caller& c) { return List(ctx, req, c); });
  AddApiRoute(router, ctx, "POST", "/api/v1/accounts", admin,
              [&ctx](http::Request& req, const Caller& c) { return Create(ctx, req, c); });
  AddApiRoute(router, ctx, "POST", "/api/v1/accounts/{login}/grants", admin,
              [&ctx](http::Request& req, const Caller& c) { return Grant(ctx, req, c); });
  AddApiRoute(
      router, ctx, "POST", "/api/v1/accounts/{login}/disable", admin,
      [&ctx](http::Request& req, const Caller& c) { return SetActive(ctx, req, c, false); });
  AddApiRoute(router, ctx, "POST", "/api/v1/accounts/{login}/enable", admin,
              [&ctx](http::Request& req, const Caller& c) { return SetActive(ctx, req, c, true); });
  AddApiRoute(router, ctx, "POST", "/api/v1/accounts/{login}/password-reset", admin,
              [&ctx](http::Request& req, const Caller& c) { return ResetPassword(ctx, req, c); });
}

}  // namespace nemis::api
