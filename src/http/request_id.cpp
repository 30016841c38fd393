#include "http/internal/request_id.hpp"

#include "base/ids.hpp"

namespace nemis::http::internal {

bool IsAcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string PickRequestId(std::optional<std::string_view> client_value) {
  if (client_value && IsAcceptableRequestId(*client_value)) return std::string(*client_value);
  return NewRequestId();
}

}  // namespace nemis::http::internal
