// A small blocking HTTP/1.1 client on POSIX sockets for the integration tests: one
// keep-alive connection, Content-Length and chunked bodies, and raw bytes for
// malformed-request tests. It never throws for network trouble: a response says
// whether it arrived whole, in part (truncated) or not at all.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nemis::it {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;  // 0: no response at all (refused, reset or closed before any byte)
  std::string reason;
  Headers headers;
  std::string body;
  bool truncated = false;  // some bytes arrived but not a whole response
  std::string error;       // what went wrong when status is 0 or truncated

  /// Case-insensitive; the first header with this name.
  std::optional<std::string> Header(std::string_view name) const;
  /// The body parsed as JSON; a JSON null (and a test failure message in `error`) if it is not
  /// JSON.
  nlohmann::json Json() const;
  /// error.code of an API error body, or "" when there is none.
  std::string ErrorCode() const;
  /// For assertion messages: status, and the body (cut to 2000 bytes).
  std::string Describe() const;
};

class HttpClient {
 public:
  HttpClient(std::string host, int port);
  ~HttpClient();
  HttpClient(HttpClient&& other) noexcept;
  HttpClient& operator=(HttpClient&& other) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends one request on the kept-alive connection (connecting first if needed).
  /// Content-Length is added for every body-bearing method. When a reused connection
  /// turns out to be closed before any byte of the answer arrives, the request is sent
  /// once more on a new connection, unless set_retry_stale(false).
  HttpResponse Request(std::string_view method, std::string_view target, std::string_view body = {},
                       const Headers& headers = {});
  HttpResponse Get(std::string_view target, const Headers& headers = {}) {
    return Request("GET", target, {}, headers);
  }
  HttpResponse Post(std::string_view target, std::string_view body, const Headers& headers = {}) {
    return Request("POST", target, body, headers);
  }
  HttpResponse PostJson(std::string_view target, const nlohmann::json& body,
                        const Headers& headers = {});
  HttpResponse Patch(std::string_view target, std::string_view body, const Headers& headers = {}) {
    return Request("PATCH", target, body, headers);
  }

  /// Headers sent with every request (e.g. Authorization), before the per-call ones.
  void set_default_headers(Headers headers) { default_headers_ = std::move(headers); }

  /// Writes `bytes` as they are on a fresh connection and reads one response (or
  /// until the server closes). `head` says the request was a HEAD (no body follows).
  HttpResponse SendRaw(std::string_view bytes, bool head = false);
  /// Writes bytes on the current connection without reading (pipelining tests).
  bool Write(std::string_view bytes);
  /// Reads one response from the current connection.
  HttpResponse ReadResponse(bool head = false);

  /// True when the server closed the connection (read returns end of file) within `wait`.
  bool ServerClosed(std::chrono::milliseconds wait);

  void Close();
  bool connected() const { return fd_ >= 0; }
  /// How many TCP connections this client has opened (keep-alive checks).
  int connections_opened() const { return connections_opened_; }
  void set_retry_stale(bool retry) { retry_stale_ = retry; }
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

 private:
  bool Connect(std::string* error);
  bool SendAll(std::string_view bytes, std::string* error);
  /// Reads more bytes into buffer_: >0 bytes read, 0 end of file, -1 error or timeout.
  long ReadMore(std::string* error);
  HttpResponse ReadOne(bool head);

  std::string host_;
  int port_ = 0;
  int fd_ = -1;
  std::string buffer_;  // received, not yet consumed
  int connections_opened_ = 0;
  bool retry_stale_ = true;
  Headers default_headers_;
  std::chrono::milliseconds timeout_{60000};
};

/// Percent-encodes a query parameter value (UTF-8 bytes as %XX).
std::string UrlEncode(std::string_view text);

}  // namespace nemis::it
