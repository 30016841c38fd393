// /api/v1/oidc/clients: the security administrator registers, lists and disables the
// applications that sign users in through NEMIS (see identity/oidc_clients.hpp).
#include "api/api_json.hpp"
#include "api/caller.hpp"
#include "identity/permissions.hpp"

namespace nemis::api {
namespace {

Json ClientJson(const identity::OidcClient& c) {
  return {{"clientId", c.client_id},
          {"name", c.name},
          {"public", !c.confidential},
          {"redirectUris", c.redirect_uris},
          {"postLogoutRedirectUris", c.post_logout_redirect_uris},
          {"active", c.active},
          {"createdAt", c.created_at}};
}

Result<std::vector<std::string>> StringList(const Json& body, const char* field) {
  if (!body.contains(field)) return std::vector<std::string>{};
  const Json& v = body[field];
  bool ok =
      v.is_array() && std::all_of(v.begin(), v.end(), [](const Json& e) { return e.is_string(); });
  if (!ok) return Error::Invalid({{field, "bad_type", std::string(field) + " 应为字符串数组"}});
  return v.get<std::vector<std::string>>();
}

http::Response Register(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  identity::OidcClientInput in;
  in.name = (*body)["name"].is_string() ? (*body)["name"].get<std::string>() : "";
  auto redirects = StringList(*body, "redirectUris");
  auto logouts = StringList(*body, "postLogoutRedirectUris");
  if (!redirects.ok()) return ErrorJson(redirects.error(), req);
  if (!logouts.ok()) return ErrorJson(logouts.error(), req);
  in.redirect_uris = std::move(*redirects);
  in.post_logout_redirect_uris = std::move(*logouts);
  in.confidential = !(body->contains("public") && (*body)["public"].is_boolean() &&
                      (*body)["public"].get<bool>());
  auto registered = ctx.oidc_clients.Register(in, caller.account, caller.write);
  if (!registered.ok()) return ErrorJson(registered.error(), req);
  Json out = ClientJson(registered->client);
  if (!registered->secret.empty()) out["clientSecret"] = registered->secret;  // shown this once
  http::Response r = JsonResponse(201, out);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace

void AddOidcClientRoutes(http::Router& router, ApiContext& ctx) {
  auto admin = Access::Needs(identity::perm::kAccountAdminister);
  AddApiRoute(router, ctx, "POST", "/api/v1/oidc/clients", admin,
              [&ctx](http::Request& req, const Caller& c) { return Register(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/oidc/clients", admin,
              [&ctx](http::Request& req, const Caller&) {
                auto clients = ctx.oidc_clients.List();
                if (!clients.ok()) return ErrorJson(clients.error(), req);
                Json items = Json::array();
                for (const auto& c : *clients) items.push_back(ClientJson(c));
                return JsonResponse(200, {{"items", items}});
              });
  AddApiRoute(router, ctx, "POST", "/api/v1/oidc/clients/{clientId}/disable", admin,
              [&ctx](http::Request& req, const Caller& caller) {
                Status s = ctx.oidc_clients.Disable(req.PathParam("clientId"), caller.write);
                return s.ok() ? http::Response{.status = 204} : ErrorJson(s.error(), req);
              });
}

}  // namespace nemis::api
