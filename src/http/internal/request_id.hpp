// Request ids: a client (or a proxy in front of us) may pass its own so that logs
// can be joined across systems, but only in a shape that cannot inject anything
// into logs or headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nemis::http::internal {

/// 1-64 characters of [A-Za-z0-9._-].
bool IsAcceptableRequestId(std::string_view id);

/// The client's X-Request-Id when acceptable, else a new random id.
std::string PickRequestId(std::optional<std::string_view> client_value);

}  // namespace nemis::http::internal
