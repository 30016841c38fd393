#include "http/http.hpp"

#include "base/log.hpp"

namespace nemis::http {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<std::string_view> Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

void Response::SetHeader(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view request_id) {
  Response res;
  res.status = status;
  res.body.reserve(64 + code.size() + message.size() + request_id.size());
  res.body += "{\"error\":{\"code\":\"";
  log::AppendJsonEscaped(res.body, code);
  res.body += "\",\"message\":\"";
  log::AppendJsonEscaped(res.body, message);
  res.body += "\",\"requestId\":\"";
  log::AppendJsonEscaped(res.body, request_id);
  res.body += "\"}}";
  return res;
}

}  // namespace nemis::http
