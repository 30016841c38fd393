// The listener and the lifecycle: one io_context per I/O thread (connections are
// spread round-robin, so a connection never needs a strand), a worker pool for
// handlers, and a drain that lets started requests finish before Run returns.
#include "http/server.hpp"

// Before any other Asio header: it applies the Boost 1.74 include-order fix.
// clang-format off
#include "http/internal/asio.hpp"
// clang-format on

#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <filesystem>
#include <thread>
#include <vector>

#include "base/log.hpp"
#include "http/internal/server_state.hpp"
#include "http/internal/tls_context.hpp"

namespace nemis::http {

namespace asio = boost::asio;
using internal::ErrorCode;
using internal::tcp;

namespace {
constexpr auto kDrainPoll = std::chrono::milliseconds(5);
constexpr auto kAcceptRetry = std::chrono::milliseconds(10);
}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, const Router& router) : state(std::move(options), router) {
    int n = std::max(1, state.options.io_threads);
    for (int i = 0; i < n; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
  }

  asio::awaitable<void> AcceptLoop();
  void BeginDrain();
  void PollDrain();
  void StopIo();

  internal::ServerState state;
  // Declared after `state`: destroyed first, taking the connections' frames (which
  // refer to `state`) with them.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::signal_set> signals;
  std::unique_ptr<asio::steady_timer> drain_timer;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::chrono::steady_clock::time_point drain_deadline;
  bool drain_started = false;  // only touched on contexts[0]
  bool forced = false;         // the grace period ran out with requests in flight
  size_t next_context = 0;
};

asio::awaitable<void> Server::Impl::AcceptLoop() {
  while (acceptor && acceptor->is_open()) {
    auto& context = *contexts[next_context++ % contexts.size()];
    ErrorCode ec;
    tcp::socket socket(context);
    co_await acceptor->async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || state.draining.load()) co_return;
    if (ec) {
      // Typically EMFILE: back off instead of spinning; the backlog holds the clients.
      log::Warn("http_accept_failed", {{"error", ec.message()}});
      asio::steady_timer pause(*contexts[0], kAcceptRetry);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    // Start on the socket's own io_context: that thread owns the connection.
    asio::post(context, [this, s = std::move(socket)]() mutable {
      internal::StartConnection(state, std::move(s));
    });
  }
}

void Server::Impl::BeginDrain() {
  if (drain_started) return;
  drain_started = true;
  state.draining.store(true);
  ErrorCode ec;
  if (acceptor) acceptor->close(ec);
  if (signals) signals->cancel(ec);
  log::Info("http_draining", {{"connections", state.connection_count()}});
  state.CloseIdleConnections();
  drain_deadline = std::chrono::steady_clock::now() + state.options.shutdown_grace;
  drain_timer = std::make_unique<asio::steady_timer>(*contexts[0]);
  PollDrain();
}

void Server::Impl::PollDrain() {
  int open = state.connection_count();
  if (open == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
    forced = open > 0;
    if (forced) {
      // From now on no queued request starts, however soon a worker comes free.
      size_t discarded = state.pool->DiscardQueued();
      log::Warn("http_drain_timeout", {{"connections", open}, {"discarded", discarded}});
    }
    StopIo();
    return;
  }
  drain_timer->expires_after(kDrainPoll);
  drain_timer->async_wait([this](const ErrorCode& ec) {
    if (!ec) PollDrain();
  });
}

void Server::Impl::StopIo() {
  guards.clear();
  for (auto& c : contexts) c->stop();
}

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() = default;

Result<int> Server::Listen() {
  auto& s = impl_->state;
  std::error_code fs_ec;
  std::filesystem::create_directories(s.options.spool_dir, fs_ec);
  if (fs_ec)
    return Error::Internal("cannot create spool_dir " + s.options.spool_dir + ": " +
                           fs_ec.message());
  if (s.options.tls && !s.tls) {
    NEMIS_ASSIGN_OR_RETURN(s.tls, internal::MakeTlsContext(*s.options.tls, /*server=*/true));
  }
  ErrorCode ec;
  auto address = asio::ip::make_address(s.options.address, ec);
  if (ec) return Error::BadRequest("bad_address", "invalid listen address: " + s.options.address);
  auto acceptor = std::make_unique<tcp::acceptor>(*impl_->contexts[0]);
  tcp::endpoint endpoint(address, static_cast<unsigned short>(s.options.port));
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error::Unavailable("cannot listen on " + s.options.address + ":" +
                              std::to_string(s.options.port) + ": " + ec.message());
  int port = acceptor->local_endpoint().port();
  impl_->acceptor = std::move(acceptor);
  return port;
}

void Server::Run(bool handle_signals) {
  auto& impl = *impl_;
  if (!impl.acceptor) {
    if (auto port = Listen(); !port.ok()) {
      log::Error("http_listen_failed", {{"error", port.error().message}});
      return;
    }
  }
  auto& main = *impl.contexts[0];
  log::Info("http_listening", {{"address", impl.state.options.address},
                               {"port", static_cast<int>(impl.acceptor->local_endpoint().port())},
                               {"tls", impl.state.tls != nullptr}});
  asio::co_spawn(main, impl.AcceptLoop(), asio::detached);
  if (handle_signals) {
    impl.signals = std::make_unique<asio::signal_set>(main, SIGINT, SIGTERM);
    impl.signals->async_wait([&impl](const ErrorCode& ec, int signal) {
      if (ec) return;
      log::Info("http_signal", {{"signal", signal}});
      impl.BeginDrain();
    });
  }
  for (auto& c : impl.contexts) impl.guards.push_back(asio::make_work_guard(*c));
  // Stop() may have been called before Run().
  asio::post(main, [&impl] {
    if (impl.state.draining.load()) impl.BeginDrain();
  });
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl.contexts.size(); ++i)
    threads.emplace_back([&c = *impl.contexts[i]] { c.run(); });
  main.run();
  for (auto& t : threads) t.join();
  // Handlers already running finish; after a forced stop the queued ones never start
  // (PollDrain took them off the queue when the grace ran out).
  impl.state.pool->Shutdown(/*discard_queued=*/impl.forced);
  impl.state.pool.reset();
  log::Info("http_stopped", {{"forced", impl.forced}});
}

void Server::Stop() {
  impl_->state.draining.store(true);
  asio::post(*impl_->contexts[0], [impl = impl_.get()] { impl->BeginDrain(); });
}

bool Server::draining() const { return impl_->state.draining.load(); }

}  // namespace nemis::http
