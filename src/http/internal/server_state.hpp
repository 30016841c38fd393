// What the listener and the connections of one Server share: options, router,
// worker pool, drain flag, metrics, and the set of live connections (so that a
// drain can close the idle ones).
#pragma once

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "http/internal/access_log.hpp"
#include "http/internal/asio.hpp"
#include "http/internal/worker_pool.hpp"
#include "http/server.hpp"

namespace nemis::http::internal {

class ConnectionBase;

struct ServerState {
  ServerState(ServerOptions o, const Router& r);

  const ServerOptions options;
  const Router& router;
  // A pointer so that Run can destroy it (and the requests still queued on it)
  // while the io_contexts that own their sockets still exist.
  std::unique_ptr<WorkerPool> pool;
  std::atomic<size_t> queued{0};  // handlers posted to the pool and not yet started
  std::atomic<bool> draining{false};
  HttpMetrics metrics;
  // Made by Server::Listen from options.tls; null on a plain port.
  std::unique_ptr<asio::ssl::context> tls;

  void Register(const std::shared_ptr<ConnectionBase>& connection);
  void Unregister(ConnectionBase* connection);
  int connection_count() const { return connection_count_.load(); }
  /// Closes the connections that are waiting for a new request (for a drain).
  void CloseIdleConnections();

 private:
  std::mutex mutex_;
  std::unordered_map<ConnectionBase*, std::weak_ptr<ConnectionBase>> connections_;
  std::atomic<int> connection_count_{0};
};

/// Serves HTTP (over TLS when state.tls is set) on an accepted socket until the peer
/// leaves, a limit or timeout is hit, or the server drains. Runs on the socket's executor.
void StartConnection(ServerState& state, tcp::socket socket);

}  // namespace nemis::http::internal
