// Signing in with a password, and the second factor of an account that has one: shared by
// the API's login (/api/v1/auth/login) and the OIDC provider's login page. The per-address
// throttle, one answer for every kind of failure, every attempt audited with its true
// reason, and a new session.
#pragma once

#include <string>
#include <string_view>

#include "api/api_context.hpp"
#include "identity/principal.hpp"

namespace nemis::api {

struct SignedIn {
  identity::Principal principal;
  identity::NewSession session;
  bool must_change_password = false;
};

/// `otp` is a code from the account's authenticator or a recovery code (empty when it has none).
Result<SignedIn> SignIn(ApiContext& ctx, const http::Request& req, const std::string& login,
                        const std::string& password, const std::string& otp);

/// Sets the session cookie (HttpOnly, SameSite=Strict) and the single sign-on cookie
/// the OIDC provider's authorization endpoint reads (the same session, SameSite=Lax so
/// that the browser sends it when another site redirects there, Path=/oidc so that no
/// API route ever sees it); or expires both.
void SetSessionCookies(const ApiContext& ctx, http::Response& response, std::string_view token,
                       bool expire);

inline constexpr std::string_view kSsoCookie = "nemis_sso";

}  // namespace nemis::api
