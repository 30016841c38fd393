// Shared by the OIDC provider's routes (oidc_routes.cpp, oidc_login_page.cpp): the
// provider's settings as the node serves them, the small HTML pages a browser is shown
// when it cannot be sent back to the client, and reading form bodies.
#pragma once

#include <string>
#include <string_view>

#include "api/api_context.hpp"
#include "http/url.hpp"

namespace nemis::api {

/// A page for the user's browser (an error it cannot be redirected with, the login form).
http::Response HtmlPage(int status, std::string_view title, std::string_view body_html);
/// Text made safe for HTML element content and attribute values.
std::string HtmlEscape(std::string_view text);

/// The fields of an application/x-www-form-urlencoded body; a malformed body gives none.
http::QueryList FormFields(const http::Request& request);
/// The first field named `name`, or "".
std::string Field(const http::QueryList& fields, std::string_view name);

/// `uri` with `params` appended as query parameters.
std::string WithQuery(std::string uri, const http::QueryList& params);

}  // namespace nemis::api
