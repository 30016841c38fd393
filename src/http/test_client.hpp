// Test support for the HTTP server: a Server running on 127.0.0.1 in a background
// thread, and a raw-socket client that can send anything (pipelined, malformed,
// slow) and parse the responses. Raw sockets rather than a Beast client so that
// the tests control every byte and compile without Beast.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "http/server.hpp"

namespace nemis::http::test {

using namespace std::chrono_literals;

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Case-insensitive; the first value.
  std::optional<std::string> Header(std::string_view name) const;
};

class TestConnection {
 public:
  /// Connects to 127.0.0.1:port; see connected().
  explicit TestConnection(int port);
  ~TestConnection();
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool Send(std::string_view bytes);
  /// Reads one response; nullopt on close, timeout or a malformed response.
  /// `head_request`: the response has no body whatever Content-Length says.
  std::optional<ClientResponse> Read(std::chrono::milliseconds timeout = 10s,
                                     bool head_request = false);
  /// True when the server closes the connection within `timeout` (data before the
  /// close is discarded).
  bool WaitClosed(std::chrono::milliseconds timeout);

 private:
  bool Fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

/// A request in wire format with Host and, when `body` is not empty, Content-Length.
std::string RequestText(std::string_view method, std::string_view target,
                        std::string_view body = "",
                        const std::vector<std::pair<std::string, std::string>>& headers = {});

/// One request on a fresh connection.
std::optional<ClientResponse> Fetch(
    int port, std::string_view method, std::string_view target, std::string_view body = "",
    const std::vector<std::pair<std::string, std::string>>& headers = {});

/// A Server listening on 127.0.0.1:<free port>, run by a background thread.
class TestServer {
 public:
  TestServer(ServerOptions options, const Router& router);
  ~TestServer();

  int port() const { return port_; }
  Server& server() { return *server_; }
  /// Stop() and wait for Run to return; returns how long that took.
  std::chrono::milliseconds StopAndJoin();

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  bool joined_ = false;
};

/// Options for tests: loopback, port 0, small pools, no access log.
ServerOptions TestOptions(const std::string& spool_dir);

}  // namespace nemis::http::test
