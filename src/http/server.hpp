// The HTTP/1.1 server: Boost.Beast on Asio with C++20 coroutines. I/O threads parse
// and write; handlers run on a bounded worker pool so that a slow store never
// stalls the network. Keep-alive, size and time limits, request ids, access log,
// metrics per route, graceful shutdown.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "http/http.hpp"
#include "http/tls.hpp"

namespace nemis::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::Listen)
  int io_threads = 2;
  int workers = 4;
  size_t max_header_bytes = 16 * 1024;
  uint64_t max_body_bytes = 10 * 1024 * 1024;
  uint64_t max_upload_bytes = 2ull * 1024 * 1024 * 1024;
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds shutdown_grace{30000};
  size_t queue_limit = 10000;
  std::string spool_dir = "var/spool";
  bool access_log = true;
  /// Set: the port speaks TLS 1.3 only and takes only clients presenting a certificate
  /// issued by tls->ca_pem (mutual TLS); each request carries the client's certificate
  /// (Request::client_certificate).
  std::optional<TlsIdentity> tls;
};

class Server {
 public:
  Server(ServerOptions options, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens; returns the bound port. "bad_tls_identity" when options.tls does
  /// not load.
  Result<int> Listen();
  /// Serves until Stop() is called or, when `handle_signals`, SIGTERM/SIGINT arrives;
  /// then stops accepting, lets in-flight requests finish (up to shutdown_grace)
  /// and returns.
  void Run(bool handle_signals);
  /// Thread-safe; Run() returns after draining.
  void Stop();
  /// True once shutdown has begun (for /readyz).
  bool draining() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nemis::http
