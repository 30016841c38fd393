#include "http/internal/wire.hpp"

#include <array>
#include <string>

namespace nemis::http::internal {
namespace {

// Headers the server owns: a handler's value would break framing or the id contract.
constexpr std::array<std::string_view, 5> kReserved = {
    "content-length", "transfer-encoding", "connection", "x-request-id", "content-type"};

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kSecurityHeaders = {{
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
}};

constexpr std::string_view kDefaultType = "application/json; charset=utf-8";

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Header injection guard: a name must be a token and a value may not break the line.
bool IsSafeHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

bool IsReserved(std::string_view name) {
  for (auto r : kReserved) {
    if (EqualsIgnoreCase(name, r)) return true;
  }
  return false;
}

const std::string* FindHeader(const Response& res, std::string_view name) {
  for (const auto& [k, v] : res.headers) {
    if (EqualsIgnoreCase(k, name)) return &v;
  }
  return nullptr;
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Entity";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

bool SendsBody(int status, bool head) {
  return !head && status >= 200 && status != 204 && status != 304;
}

std::string RenderHead(const Response& res, const WireContext& ctx) {
  std::string out;
  out.reserve(320 + res.headers.size() * 48);
  out.append("HTTP/1.1 ")
      .append(std::to_string(res.status))
      .append(" ")
      .append(ReasonPhrase(res.status));
  out.append("\r\n");
  const std::string* type = FindHeader(res, "Content-Type");
  if (!type || !IsSafeHeader("Content-Type", *type)) type = &res.content_type;
  AppendHeader(out, "Content-Type",
               IsSafeHeader("Content-Type", *type) ? std::string_view(*type) : kDefaultType);
  // RFC 9110: no Content-Length on 204; on 304 it would describe the cached body.
  if (res.status != 204 && res.status != 304)
    AppendHeader(out, "Content-Length", std::to_string(res.body.size()));
  AppendHeader(out, "X-Request-Id", ctx.request_id);
  // API responses can hold personal data: never stored unless the handler chose its own
  // caching (the API reference's static files do).
  if (ctx.api_path && !FindHeader(res, "Cache-Control"))
    AppendHeader(out, "Cache-Control", "no-store");
  for (const auto& [name, value] : kSecurityHeaders) {
    if (!FindHeader(res, name)) AppendHeader(out, name, value);
  }
  if (ctx.close) {
    AppendHeader(out, "Connection", "close");
  } else if (ctx.keep_alive_10) {
    AppendHeader(out, "Connection", "keep-alive");
  }
  for (const auto& [name, value] : res.headers) {
    if (!IsReserved(name) && IsSafeHeader(name, value)) AppendHeader(out, name, value);
  }
  out.append("\r\n");
  return out;
}

}  // namespace nemis::http::internal
