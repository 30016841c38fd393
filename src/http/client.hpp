// A small blocking HTTP/1.1 client for node-to-node calls (the exchange between nodes,
// departments' services): one request per connection, http:// or https:// with mutual TLS
// (http/tls.hpp: this side's certificate presented, the server's checked against the CA).
// Free of Beast in this header, like the rest of http/.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "http/tls.hpp"

namespace nemis::http {

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // http://host[:port]/path?query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
  std::chrono::milliseconds timeout{30000};  // the whole exchange, connect to last byte
  size_t max_body_bytes = 512u << 20;
  std::shared_ptr<TlsClientContext> tls;  // for an https:// URL
  std::string tls_peer_name = {};         // set: the server's certificate must name it (its CN)
};

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Case-insensitive; the first value.
  std::optional<std::string> Header(std::string_view name) const;
};

/// Parts of an http:// or https:// URL; "bad_url" for anything else.
struct HttpUrl {
  std::string host, port, target;  // target: path and query, "/" at least
  bool tls = false;                // https://
};
Result<HttpUrl> ParseHttpUrl(std::string_view url);

/// Sends the request and reads the whole response. Errors: "bad_url" (400),
/// "tls_not_configured" (400: an https:// URL without request.tls) and "peer_unavailable"
/// (503: cannot connect, the TLS handshake failed — a certificate refused either way —,
/// timed out, connection cut, malformed or too large a response), naming the URL's host and
/// port.
Result<ClientResponse> Fetch(const ClientRequest& request);

}  // namespace nemis::http
