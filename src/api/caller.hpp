// Who is calling and what they may touch. A caller proves who it is with a Bearer
// API token or a session cookie (plus the CSRF header on writes); the route's
// access rule then decides, and the caller's scope for the route's permission is
// what the stores filter by (records outside it are "not found").
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "api/api_context.hpp"
#include "base/result.hpp"
#include "db/write_attachment.hpp"
#include "http/http.hpp"
#include "identity/principal.hpp"
#include "org/scope.hpp"

namespace nemis::api {

inline constexpr std::string_view kSessionCookie = "nemis_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
/// "role@org code": act under that one of the caller's grants (see ActUnder).
inline constexpr std::string_view kActingGrantHeader = "X-Acting-Grant";

struct Caller {
  std::string account;                                   // the login; empty on public routes
  org::Scope scope;                                      // where the route's permission applies
  std::shared_ptr<const identity::Principal> principal;  // null on public routes
  std::string session_token;                             // when signed in by cookie (for logout)
  std::string csrf_token;  // the session's, so that a reloaded portal can fetch it again
  // On a permission-guarded write route: the request's audit entry, to be handed to each
  // write the handler makes (Database::WithWriter), so that none is kept without it.
  db::WriteAttachment* write = nullptr;

  bool Has(std::string_view permission) const { return principal && principal->Has(permission); }
};

/// Who the request's credential stands for (401 when there is none or it is invalid).
Result<Caller> Identify(ApiContext& ctx, const http::Request& request);
/// With an X-Acting-Grant header naming one of the caller's grants, the caller acts under
/// that grant alone: its permissions and scopes become that grant's, as when a person who
/// is both a county officer and a school's clerk works as one of them. 403
/// "grant_not_held" for a grant it does not hold. Nothing changes without the header, or
/// while a password change or MFA enrolment is pending (Authorize refuses those).
Status ActUnder(Caller& caller, const http::Request& request);
/// Whether `caller` may call a route of `access` (403 otherwise); sets its scope.
Status Authorize(Caller& caller, const Access& access);

/// The value of a cookie in the request's Cookie header.
std::optional<std::string_view> CookieValue(const http::Request& request, std::string_view name);

}  // namespace nemis::api
