// Rendering a Response to HTTP/1.1 wire format. The server writes the head and the
// body as two buffers in one gather write; rendering by hand (instead of through
// Beast's serializer) keeps the hot path short and lets us enforce, in one place,
// the headers every response must carry.
#pragma once

#include <string>
#include <string_view>

#include "http/http.hpp"

namespace nemis::http::internal {

struct WireContext {
  std::string_view request_id;
  bool head = false;           // HEAD: Content-Length of the body, but no body
  bool api_path = false;       // under /api/: Cache-Control: no-store unless the handler set one
  bool close = false;          // Connection: close
  bool keep_alive_10 = false;  // an HTTP/1.0 client asked for keep-alive
};

/// Status line and headers, ending with the empty line.
std::string RenderHead(const Response& res, const WireContext& ctx);

/// Whether the body bytes follow the head (not for HEAD, 1xx, 204, 304).
bool SendsBody(int status, bool head);

std::string_view ReasonPhrase(int status);

/// "HTTP/1.1 100 Continue" for clients that sent Expect: 100-continue.
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace nemis::http::internal
