// Request-target decoding (RFC 3986 percent-encoding) with the checks the server
// applies before routing: bad escapes, encoded slashes, NUL and invalid UTF-8 are
// rejected so that handlers only ever see clean text.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace nemis::http {

using QueryList = std::vector<std::pair<std::string, std::string>>;

/// Decodes %XX escapes (and '+' as a space when `plus_as_space`). False on a bad escape.
bool PercentDecode(std::string_view in, bool plus_as_space, std::string* out);

/// Well-formed UTF-8: no overlong forms, surrogates or code points above U+10FFFF.
bool IsValidUtf8(std::string_view text);

/// Splits an origin-form target ("/a/b?x=1&y") into a decoded path and query.
/// Errors (400 "bad_request"): not starting with '/', bad escapes, an encoded '/' or
/// NUL in the path, decoded text that is not UTF-8.
Status ParseTarget(std::string_view target, std::string* path, QueryList* query);

/// Decodes an application/x-www-form-urlencoded body (the same encoding as a query).
Status ParseFormBody(std::string_view body, QueryList* fields);

/// Percent-encodes everything but RFC 3986 unreserved characters (for query values).
std::string PercentEncode(std::string_view text);

}  // namespace nemis::http
