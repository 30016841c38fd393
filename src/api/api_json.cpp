#include "api/api_json.hpp"

#include <charconv>

#include "base/log.hpp"
#include "db/database.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kStoreUnavailableMessage = "数据存储暂时不可用，请稍后重试";

}  // namespace

Result<Json> ParseJsonObject(const http::Request& request) {
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return Error::BadRequest("malformed_json", "请求体不是有效的 JSON");
  if (!body.is_object()) return Error::BadRequest("malformed_json", "请求体应为 JSON 对象");
  return body;
}

http::Response RateLimited(int64_t wait_seconds, const http::Request& request) {
  const std::string wait = std::to_string(wait_seconds);
  http::Response r = ErrorJson(
      Error{ErrorKind::kThrottled, "rate_limited", "请求过于频繁，请 " + wait + " 秒后再试", {}},
      request);
  r.SetHeader("Retry-After", wait);
  return r;
}

http::Response JsonResponse(int status, const Json& body) {
  http::Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

http::Response ErrorJson(const Error& error, const http::Request& request) {
  Json fields = Json::array();
  for (const auto& f : error.fields)
    fields.push_back({{"field", f.field}, {"code", f.code}, {"message", f.message}});
  std::string_view message = error.message;
  if (error.code == db::kStoreUnavailable) {
    // A failing store's own words name its server (host, port, file, statement): they go to
    // the operators' log, the client learns only that the store is unavailable.
    log::Warn("store_unavailable", {{"requestId", request.request_id}, {"message", error.message}});
    message = kStoreUnavailableMessage;
  }
  Json body = {{"error",
                {{"code", error.code},
                 {"message", message},
                 {"fields", fields},
                 {"requestId", request.request_id}}}};
  return JsonResponse(HttpStatus(error.kind), body);
}

std::string VersionTag(int64_t version) { return "\"v" + std::to_string(version) + "\""; }

std::string StudentTag(int64_t version, int64_t promotions) {
  return "\"v" + std::to_string(version) + "." + std::to_string(promotions) + "\"";
}

Result<StudentMatch> RequiredStudentIfMatch(const http::Request& request) {
  auto header = request.Header("If-Match");
  if (!header)
    return Error{ErrorKind::kPreconditionFailed,
                 "if_match_required",
                 "修改须带 If-Match 请求头（取自 ETag）",
                 {}};
  std::string_view v = *header;
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.starts_with("v")) v.remove_prefix(1);
  const auto bad = [] {
    return Error::BadRequest("bad_if_match", "If-Match 应为记录的 ETag，例如 \"v3\"");
  };
  StudentMatch match;
  const char* end = v.data() + v.size();
  auto [p, ec] = std::from_chars(v.data(), end, match.version);
  if (ec != std::errc() || v.empty()) return bad();
  if (p == end) return match;
  if (*p != '.') return bad();
  int64_t promotions = 0;
  auto [q, ec2] = std::from_chars(p + 1, end, promotions);
  if (ec2 != std::errc() || q != end) return bad();
  match.promotions = promotions;
  return match;
}

Result<int64_t> RequiredIfMatch(const http::Request& request) {
  NEMIS_ASSIGN_OR_RETURN(StudentMatch match, RequiredStudentIfMatch(request));
  return match.version;
}

Result<int> IntParam(const http::Request& request, std::string_view name, int fallback, int min,
                     int max) {
  auto text = request.Query(name);
  if (!text) return fallback;
  int v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || p != text->data() + text->size() || v < min || v > max)
    return Error::BadRequest("bad_parameter", "参数 " + std::string(name) + " 应为 " +
                                                  std::to_string(min) + " 到 " +
                                                  std::to_string(max) + " 之间的整数");
  return v;
}

std::optional<std::string> JsonText(const Json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "1" : "0";
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number_float()) return value.dump();
  return std::nullopt;
}

std::string MemberText(const Json& object, std::string_view name) {
  auto it = object.find(name);
  return it == object.end() ? "" : JsonText(*it).value_or("");
}

}  // namespace nemis::api
