// /api/v1/public: what the public portal shows without sign-in — region pickers, the
// directory of open schools, one school's public facts and statistics by region. No
// personal data ever: institution facts, a school's student count as a band, and
// statistics with small cells suppressed (public_figures.hpp). Answers are cached in
// the process and by browsers and proxies (Cache-Control: public), and each client
// address is rate limited (public_throttle.hpp).
#pragma once

#include "api/api_context.hpp"
#include "http/http.hpp"

namespace nemis::api {

/// Adds the public routes; their cache and rate limits live as long as the router.
void AddPublicRoutes(http::Router& router, ApiContext& ctx);

}  // namespace nemis::api
