// A router shaped like the API's (src/api/routes.cpp registers these patterns), for the
// targets that route decoded paths. The handlers are never called.
#pragma once

#include <string>
#include <utility>

#include "http/http.hpp"

namespace nemis::fuzz {

inline const http::Router& ApiLikeRouter() {
  static const http::Router router = [] {
    http::Router r;
    auto none = [](http::Request&) { return http::Response{}; };
    const std::pair<const char*, const char*> routes[] = {
        {"GET", "/healthz"},
        {"GET", "/readyz"},
        {"GET", "/metrics"},
        {"GET", "/api/docs"},
        {"POST", "/api/v1/auth/login"},
        {"POST", "/api/v1/auth/logout"},
        {"GET", "/api/v1/auth/me"},
        {"POST", "/api/v1/auth/mfa/totp"},
        {"POST", "/api/v1/auth/mfa/totp/confirm"},
        {"GET", "/api/v1/accounts"},
        {"POST", "/api/v1/accounts/{login}/disable"},
        {"POST", "/api/v1/accounts/{login}/enable"},
        {"PUT", "/api/v1/accounts/{login}/grants"},
        {"GET", "/api/v1/students"},
        {"POST", "/api/v1/students"},
        {"GET", "/api/v1/students/search"},
        {"GET", "/api/v1/students/{studentNumber}"},
        {"PATCH", "/api/v1/students/{studentNumber}"},
        {"GET", "/api/v1/orgs"},
        {"GET", "/api/v1/orgs/{code}"},
        {"GET", "/api/v1/orgs/{code}/children"},
        {"POST", "/api/v1/imports/students"},
        {"GET", "/api/v1/imports/{id}"},
        {"GET", "/api/v1/imports/{id}/report"},
        {"GET", "/api/v1/audit"},
        {"GET", "/api/v1/audit/export"},
        {"GET", "/api/v1/stats/students"},
        {"GET", "/oidc/authorize"},
        {"POST", "/oidc/token"},
        {"GET", "/oidc/userinfo"},
        {"GET", "/oidc/jwks"},
        {"GET", "/oidc/login"},
        {"POST", "/oidc/login"},
        {"GET", "/oidc/logout"},
        {"GET", "/.well-known/openid-configuration"},
    };
    for (const auto& [method, pattern] : routes) {
      http::RouteOptions options;
      if (std::string(pattern).find("{studentNumber}") != std::string::npos)
        options.sensitive_params = {"studentNumber"};
      r.Add(method, pattern, none, options);
    }
    return r;
  }();
  return router;
}

}  // namespace nemis::fuzz
