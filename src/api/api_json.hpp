// JSON in and out of the handlers: parsing request bodies, rendering errors in the
// API's format, and common response shapes (ETag, Location, pagination).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "http/http.hpp"

namespace nemis::api {

// Insertion-ordered, so responses list fields in the order the code gives them.
using Json = nlohmann::ordered_json;

/// The body as a JSON object, or a 400 error naming what is wrong with it.
Result<Json> ParseJsonObject(const http::Request& request);

http::Response JsonResponse(int status, const Json& body);
/// The Error as {"error":{code,message,fields,requestId}} with its HTTP status.
http::Response ErrorJson(const Error& error, const http::Request& request);

/// ETag for a record version: "v<version>" (quoted, strong).
std::string VersionTag(int64_t version);
/// ETag for a student: "v<version>.<promotions>", the second its school's promotion count,
/// which changes the student's grade without a new version (registry/current_grade.hpp).
std::string StudentTag(int64_t version, int64_t promotions);
/// The version an If-Match header names (a student's tag by its version); 412
/// "if_match_required" when absent, 400 when malformed.
Result<int64_t> RequiredIfMatch(const http::Request& request);
/// What a student's If-Match names: its version and, from a StudentTag, the promotion count.
struct StudentMatch {
  int64_t version = 0;
  std::optional<int64_t> promotions;
};
Result<StudentMatch> RequiredStudentIfMatch(const http::Request& request);

/// 429 rate_limited with Retry-After: `wait_seconds` (a token bucket's answer,
/// public_throttle.hpp).
http::Response RateLimited(int64_t wait_seconds, const http::Request& request);

/// A query parameter as an integer in [min, max] (default when absent); 400 otherwise.
Result<int> IntParam(const http::Request& request, std::string_view name, int fallback, int min,
                     int max);

/// A keyset page: {"items":[...],"next":cursor-or-null}.
template <class Item, class ToJson>
http::Response PageResponse(const std::vector<Item>& items, const std::optional<std::string>& next,
                            ToJson to_json) {
  Json array = Json::array();
  for (const auto& item : items) array.push_back(to_json(item));
  return JsonResponse(200, {{"items", array}, {"next", next ? Json(*next) : Json(nullptr)}});
}

/// A JSON value as the text a client would have typed into a form or a CSV cell.
std::optional<std::string> JsonText(const Json& value);
/// An object's member as JsonText; empty when absent, null or not text-like.
std::string MemberText(const Json& object, std::string_view name);

}  // namespace nemis::api
