// One HTTP/1.1 connection: a coroutine that reads a request, runs its handler on
// the worker pool (or inline for non-blocking routes), writes the response and
// loops while keep-alive holds. Requests on a connection are handled one at a
// time, so pipelined requests are answered in order.
//
// On a mutual-TLS port (ServerOptions::tls) the same coroutine runs over an SSL stream
// after the handshake; the client's certificate goes with each request.
//
// Timeouts are enforced by a watchdog coroutine sharing the connection's deadline:
// it cancels the socket's pending operation instead of closing the socket (as
// beast::tcp_stream would), so that a slow client can still be sent a 408.
// First: it applies the Boost 1.74 include-order fix before any other Asio header.
// clang-format off
#include "http/internal/asio.hpp"
// clang-format on

#include <array>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <limits>
#include <type_traits>

#include "base/ids.hpp"
#include "base/log.hpp"
#include "http/internal/request_id.hpp"
#include "http/internal/server_state.hpp"
#include "http/internal/spool_file.hpp"
#include "http/internal/tls_context.hpp"
#include "http/internal/wire.hpp"
#include "http/url.hpp"

namespace nemis::http::internal {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;
using HeaderParser = bhttp::request_parser<bhttp::empty_body>;

constexpr size_t kReadChunk = 4096;
constexpr size_t kIdleBufferKeep = 16 * 1024;
constexpr auto kLingerTimeout = std::chrono::milliseconds(1000);
constexpr size_t kLingerMaxBytes = 1 << 20;
constexpr std::string_view kInternalMessage = "服务器内部错误";

auto Await(ErrorCode& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// Everything about one request/response exchange.
struct Exchange {
  Clock::time_point start = Clock::now();
  Request req;
  Response res;
  const Route* route = nullptr;
  bool head = false;
  bool close = false;  // answer with Connection: close, then close
  bool keep_alive_10 = false;
  bool ready = false;           // res is final: skip the handler
  bool respond = true;          // false: the peer is gone, send nothing
  bool input_consumed = false;  // the whole request was read: closing cannot cause a reset
  uint64_t bytes_sent = 0;
  SpoolFile spool;
};

void Fail(Exchange& x, int status, std::string_view code, std::string_view message, bool close) {
  x.res = ErrorResponse(status, code, message, x.req.request_id);
  x.ready = true;
  x.close = x.close || close;
}

bool IsPeerGone(const ErrorCode& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted || ec == asio::error::broken_pipe;
}

bool IsParseError(const ErrorCode& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

// Logs what() only and answers without it: exception texts can hold internals.
void HandlerFailed(Exchange& x, std::string_view what) {
  log::Error("http_handler_failed",
             {{"requestId", x.req.request_id}, {"route", x.route->pattern}, {"error", what}});
  x.res = ErrorResponse(500, "internal", kInternalMessage, x.req.request_id);
}

void InvokeHandler(Exchange& x) {
  try {
    x.res = x.route->handler(x.req);
    if (x.res.status < 200 || x.res.status > 599)
      HandlerFailed(x, "handler returned an invalid status");
  } catch (const std::exception& e) {
    HandlerFailed(x, e.what());
  } catch (...) {
    HandlerFailed(x, "unknown exception");
  }
  x.spool.Remove();  // the upload's life ends with its handler
}

// Runs `fn` on the pool and resumes the awaiting coroutine on its own executor.
// The job holds a pointer to `fn`, which lives in the suspended frame.
template <class Fn>
asio::awaitable<void> RunOnPool(WorkerPool& pool, Fn fn) {
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [&pool](auto handler, Fn* job_fn) {
        using Handler = decltype(handler);
        struct Job final : WorkerPool::Job {
          Job(Handler h, Fn* f) : handler(std::move(h)), fn(f) {}
          void Run() override {
            (*fn)();
            auto ex = asio::get_associated_executor(handler);
            asio::post(ex, std::move(handler));
          }
          Handler handler;
          Fn* fn;
        };
        pool.Post(std::make_unique<Job>(std::move(handler), job_fn));
      },
      asio::use_awaitable, &fn);
}

}  // namespace

// What a drain needs of a connection, whatever its stream.
class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  virtual void CloseIfIdle() = 0;
  virtual asio::any_io_executor executor() = 0;
};

namespace {

using TlsStream = asio::ssl::stream<tcp::socket>;

// Stream: tcp::socket, or TlsStream on a mutual-TLS port.
template <class Stream>
class Connection final : public ConnectionBase {
 public:
  Connection(ServerState& state, Stream stream)
      : state_(state), stream_(std::move(stream)), timer_(Socket().get_executor()) {
    ErrorCode ec;
    auto endpoint = Socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
    state_.metrics.connections_opened.Add();
  }
  ~Connection() override {
    state_.metrics.connections_closed.Add();
    state_.Unregister(this);
  }

  static asio::awaitable<void> Serve(std::shared_ptr<Connection> self);
  static asio::awaitable<void> Watchdog(std::shared_ptr<Connection> self);
  void CloseIfIdle() override {
    ErrorCode ec;
    if (idle_) Socket().cancel(ec);
  }
  asio::any_io_executor executor() override { return Socket().get_executor(); }

 private:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  tcp::socket& Socket() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }
  asio::awaitable<bool> Handshake();
  asio::awaitable<bool> ServeOne();
  asio::awaitable<bool> WaitForRequest();
  asio::awaitable<void> ReadRequest(Exchange& x);
  asio::awaitable<void> ReadStringBody(HeaderParser& hp, Exchange& x);
  asio::awaitable<void> ReadFileBody(HeaderParser& hp, Exchange& x);
  asio::awaitable<bool> SendContinue(const HeaderParser& hp);
  asio::awaitable<void> Dispatch(Exchange& x);
  asio::awaitable<void> Write(Exchange& x);
  asio::awaitable<void> LingeringClose();
  void TakeHeader(const HeaderParser& hp, Exchange& x);
  bool RouteRequest(const HeaderParser& hp, Exchange& x);
  void ReadFailed(Exchange& x, const ErrorCode& ec);
  void Finish(Exchange& x);
  void SetDeadline(Clock::duration d);
  void ClearDeadline() { deadline_ = Clock::time_point::max(); }

  ServerState& state_;
  Stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  std::string remote_;
  std::string client_certificate_;  // TLS: what the handshake verified
  bool first_ = true;               // no request seen yet: the first wait uses request_timeout
  bool idle_ = false;               // waiting for the first byte of a request
  bool timed_out_ = false;
  bool closed_ = false;
  bool linger_ = false;  // we chose to close: drain unread input before closing
};

template <class Stream>
void Connection<Stream>::SetDeadline(Clock::duration d) {
  timed_out_ = false;
  deadline_ = Clock::now() + d;
  // Only an earlier deadline needs the watchdog woken; a later one is picked up
  // when the current wait ends, which keeps timer churn off the hot path.
  if (deadline_ < timer_.expiry()) timer_.expires_at(deadline_);
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::Watchdog(std::shared_ptr<Connection> self) {
  while (!self->closed_) {
    ErrorCode ec;
    co_await self->timer_.async_wait(Await(ec));
    if (self->closed_) break;
    if (self->deadline_ <= Clock::now()) {
      self->timed_out_ = true;
      self->deadline_ = Clock::time_point::max();
      self->Socket().cancel(ec);
    }
    self->timer_.expires_at(self->deadline_);
  }
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::Serve(std::shared_ptr<Connection> self) {
  try {
    if (co_await self->Handshake()) {
      while (co_await self->ServeOne()) {
      }
    }
    if (self->linger_) co_await self->LingeringClose();
  } catch (const std::exception& e) {
    log::Error("http_connection_failed", {{"error", e.what()}});
  }
  self->closed_ = true;
  self->timer_.cancel();
  ErrorCode ec;
  self->Socket().close(ec);
}

template <class Stream>
asio::awaitable<bool> Connection<Stream>::Handshake() {
  if constexpr (kTls) {
    SetDeadline(state_.options.request_timeout);
    ErrorCode ec;
    co_await stream_.async_handshake(asio::ssl::stream_base::server, Await(ec));
    if (ec) {
      // No certificate, one the CA did not issue, not TLS 1.3, or a plain HTTP client.
      log::Info("http_tls_refused", {{"remote", remote_}, {"error", ec.message()}});
      co_return false;
    }
    client_certificate_ = PeerCertificatePem(stream_.native_handle());
  }
  co_return true;
}

template <class Stream>
asio::awaitable<bool> Connection<Stream>::WaitForRequest() {
  if (buffer_.size() > 0) co_return true;  // a pipelined request is already here
  if (state_.draining.load()) co_return false;
  if (buffer_.capacity() > kIdleBufferKeep) buffer_.shrink_to_fit();
  idle_ = true;
  SetDeadline(first_ ? state_.options.request_timeout : state_.options.idle_timeout);
  ErrorCode ec;
  size_t n = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), Await(ec));
  idle_ = false;
  if (ec) co_return false;  // closed by the peer, idle timeout or drain: nothing to answer
  buffer_.commit(n);
  co_return true;
}

template <class Stream>
asio::awaitable<bool> Connection<Stream>::ServeOne() {
  if (!co_await WaitForRequest()) co_return false;
  first_ = false;
  Exchange x;
  state_.metrics.requests_started.Add();
  SetDeadline(state_.options.request_timeout);  // the whole request, against slowloris
  co_await ReadRequest(x);
  if (x.respond && !x.ready) co_await Dispatch(x);
  if (x.respond) co_await Write(x);
  if (x.respond) Finish(x);
  state_.metrics.requests_finished.Add();
  co_return x.respond && !x.close;
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::ReadRequest(Exchange& x) {
  HeaderParser hp;
  hp.header_limit(
      static_cast<uint32_t>(std::min<size_t>(state_.options.max_header_bytes, UINT32_MAX)));
  // The size is checked per route below, before any body is read. Not boost::none:
  // Beast 1.74 compares Content-Length > none, which is always true.
  hp.body_limit(std::numeric_limits<uint64_t>::max());
  ErrorCode ec;
  co_await bhttp::async_read_header(stream_, buffer_, hp, Await(ec));
  if (ec) {
    ReadFailed(x, ec);
    co_return;
  }
  TakeHeader(hp, x);
  if (!RouteRequest(hp, x)) co_return;
  if (x.route->options.upload)
    co_await ReadFileBody(hp, x);
  else
    co_await ReadStringBody(hp, x);
}

template <class Stream>
void Connection<Stream>::TakeHeader(const HeaderParser& hp, Exchange& x) {
  const auto& h = hp.get();
  x.req.method = std::string(h.method_string());
  x.req.target = std::string(h.target());
  x.head = h.method() == bhttp::verb::head;
  for (const auto& field : h) x.req.headers.emplace_back(field.name_string(), field.value());
  x.req.request_id = PickRequestId(x.req.Header("X-Request-Id"));
  x.req.remote_address = remote_;
  x.req.client_certificate = client_certificate_;
  x.close = !hp.keep_alive();
  x.keep_alive_10 = h.version() < 11 && hp.keep_alive();
}

// Finds the route and applies the size limit; on failure x.res holds the answer.
// When a body is still unread the connection must close after the answer.
template <class Stream>
bool Connection<Stream>::RouteRequest(const HeaderParser& hp, Exchange& x) {
  bool body_pending = !hp.is_done();
  if (Status st = ParseTarget(x.req.target, &x.req.path, &x.req.query); !st) {
    Fail(x, 400, st.error().code, st.error().message, body_pending);
    return false;
  }
  Router::Match match = state_.router.Find(x.req.method, x.req.path);
  if (match.method_not_allowed) {
    Fail(x, 405, "method_not_allowed", "不支持该请求方法", body_pending);
    x.res.SetHeader("Allow", match.allow);
    return false;
  }
  if (!match.route) {
    Fail(x, 404, "not_found", "请求的资源不存在", body_pending);
    return false;
  }
  x.route = match.route;
  x.req.route = match.route->pattern;
  x.req.path_params = std::move(match.params);
  uint64_t limit =
      x.route->options.upload ? state_.options.max_upload_bytes : state_.options.max_body_bytes;
  if (auto length = hp.content_length(); length && *length > limit) {
    Fail(x, 413, "payload_too_large", "请求体过大", true);
    return false;
  }
  return true;
}

template <class Stream>
void Connection<Stream>::ReadFailed(Exchange& x, const ErrorCode& ec) {
  if (x.req.request_id.empty()) x.req.request_id = NewRequestId();
  if (timed_out_) {
    Fail(x, 408, "request_timeout", "请求超时", true);
  } else if (ec == bhttp::error::header_limit) {
    Fail(x, 431, "header_too_large", "请求头过大", true);
  } else if (ec == bhttp::error::body_limit) {
    Fail(x, 413, "payload_too_large", "请求体过大", true);
  } else if (IsPeerGone(ec) || !IsParseError(ec)) {
    x.respond = false;  // nobody to answer, or a socket error
  } else {
    Fail(x, 400, "bad_request", "请求格式错误", true);
  }
}

template <class Stream>
asio::awaitable<bool> Connection<Stream>::SendContinue(const HeaderParser& hp) {
  auto expect = hp.get()[bhttp::field::expect];
  if (!beast::iequals(expect, "100-continue")) co_return true;
  ErrorCode ec;
  co_await asio::async_write(stream_, asio::buffer(kContinue), Await(ec));
  co_return !ec;
}

// clang-tidy takes an early co_return of these two for a use of `hp` after the move further
// down (a false positive of coroutines in templates), hence the NOLINTs.
template <class Stream>
asio::awaitable<void> Connection<Stream>::ReadStringBody(HeaderParser& hp, Exchange& x) {
  if (hp.is_done()) {
    x.input_consumed = true;
    co_return;  // NOLINT(bugprone-use-after-move): see above
  }
  if (!co_await SendContinue(hp)) {
    x.respond = false;
    co_return;
  }
  bhttp::request_parser<bhttp::string_body> bp(std::move(hp));
  bp.body_limit(state_.options.max_body_bytes);  // counts chunked bodies as they arrive
  ErrorCode ec;
  if (!timed_out_) co_await bhttp::async_read(stream_, buffer_, bp, Await(ec));
  if (ec || timed_out_) {
    ReadFailed(x, ec ? ec : ErrorCode(asio::error::timed_out));
    co_return;
  }
  x.req.body = std::move(bp.get().body());
  x.input_consumed = true;
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::ReadFileBody(HeaderParser& hp, Exchange& x) {
  int fd = x.spool.Create(state_.options.spool_dir);
  if (fd < 0) {
    log::Error("http_spool_failed",
               {{"requestId", x.req.request_id}, {"dir", state_.options.spool_dir}});
    Fail(x, 500, "internal", kInternalMessage, !hp.is_done());
    co_return;  // NOLINT(bugprone-use-after-move): see above
  }
  x.req.body_file = x.spool.path();
  beast::file file;
  file.native_handle(fd);
  if (hp.is_done()) {  // an empty upload: the file exists and is empty
    x.input_consumed = true;
    co_return;
  }
  if (!co_await SendContinue(hp)) {
    x.respond = false;
    co_return;
  }
  bhttp::request_parser<bhttp::file_body> fp(std::move(hp));
  fp.body_limit(state_.options.max_upload_bytes);
  ErrorCode ec;
  fp.get().body().reset(std::move(file), ec);
  if (!timed_out_) co_await bhttp::async_read(stream_, buffer_, fp, Await(ec));
  ErrorCode close_ec;
  fp.get().body().file().close(close_ec);  // flushed and closed before the handler opens it
  if (ec || timed_out_ || close_ec) {
    ReadFailed(x, ec ? ec : ErrorCode(asio::error::timed_out));
    co_return;
  }
  x.input_consumed = true;
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::Dispatch(Exchange& x) {
  if (x.route->options.inline_on_io) {
    InvokeHandler(x);
    co_return;
  }
  if (state_.queued.fetch_add(1) >= state_.options.queue_limit) {
    state_.queued.fetch_sub(1);
    Fail(x, 503, "overloaded", "服务器繁忙，请稍后重试", false);
    x.res.SetHeader("Retry-After", "1");
    co_return;
  }
  ClearDeadline();  // a handler is never cut off by a timeout
  co_await RunOnPool(*state_.pool, [this, &x] {
    state_.queued.fetch_sub(1);
    InvokeHandler(x);
  });
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::Write(Exchange& x) {
  if (state_.draining.load()) x.close = true;
  WireContext ctx;
  ctx.request_id = x.req.request_id;
  ctx.head = x.head;
  ctx.api_path = x.req.target.rfind("/api/", 0) == 0;
  ctx.close = x.close;
  ctx.keep_alive_10 = x.keep_alive_10;
  std::string head = RenderHead(x.res, ctx);
  bool with_body = SendsBody(x.res.status, x.head);
  std::array<asio::const_buffer, 2> buffers = {
      asio::buffer(head), asio::buffer(x.res.body.data(), with_body ? x.res.body.size() : 0)};
  SetDeadline(state_.options.request_timeout);
  ErrorCode ec;
  co_await asio::async_write(stream_, buffers, Await(ec));
  if (ec) {
    x.close = true;
    co_return;
  }
  x.bytes_sent = with_body ? x.res.body.size() : 0;
  linger_ = x.close && (!x.input_consumed || buffer_.size() > 0);
}

// Closing with unread input makes the kernel send RST, which can destroy the
// response before the client reads it; so half-close and drain for a while.
// Only after errors that left input unread: a clean close needs no wait. Over TLS
// the raw bytes are drained: they need no decrypting to be thrown away.
template <class Stream>
asio::awaitable<void> Connection<Stream>::LingeringClose() {
  ErrorCode ec;
  Socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  SetDeadline(std::min<Clock::duration>(kLingerTimeout, state_.options.request_timeout));
  std::array<char, kReadChunk> sink;
  size_t total = 0;
  while (total < kLingerMaxBytes) {
    size_t n = co_await Socket().async_read_some(asio::buffer(sink), Await(ec));
    if (ec) break;
    total += n;
  }
}

template <class Stream>
void Connection<Stream>::Finish(Exchange& x) {
  double seconds = std::chrono::duration<double>(Clock::now() - x.start).count();
  state_.metrics.Observe(x.route, x.req.method, x.res.status, seconds);
  if (!state_.options.access_log) return;
  RequestRecord record;
  record.request_id = x.req.request_id;
  record.method = x.req.method;
  record.remote_address = remote_;
  record.route = x.route;
  record.request = &x.req;
  record.status = x.res.status;
  record.bytes = x.bytes_sent;
  record.seconds = seconds;
  WriteAccessLog(record);
}

template <class Stream>
void Start(ServerState& state, Stream stream) {
  auto connection = std::make_shared<Connection<Stream>>(state, std::move(stream));
  state.Register(connection);
  auto ex = connection->executor();
  asio::co_spawn(ex, Connection<Stream>::Serve(connection), asio::detached);
  asio::co_spawn(ex, Connection<Stream>::Watchdog(std::move(connection)), asio::detached);
}

}  // namespace

ServerState::ServerState(ServerOptions o, const Router& r)
    : options(std::move(o)),
      router(r),
      pool(std::make_unique<WorkerPool>(std::max(1, options.workers))) {}

void ServerState::Register(const std::shared_ptr<ConnectionBase>& connection) {
  std::lock_guard lock(mutex_);
  connections_.emplace(connection.get(), connection);
  connection_count_.fetch_add(1);
}

void ServerState::Unregister(ConnectionBase* connection) {
  std::lock_guard lock(mutex_);
  if (connections_.erase(connection) > 0) connection_count_.fetch_sub(1);
}

void ServerState::CloseIdleConnections() {
  std::vector<std::shared_ptr<ConnectionBase>> live;
  {
    std::lock_guard lock(mutex_);
    for (auto& [ptr, weak] : connections_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) {
    auto ex = c->executor();
    asio::post(ex, [c = std::move(c)] { c->CloseIfIdle(); });
  }
}

void StartConnection(ServerState& state, tcp::socket socket) {
  if (state.tls) {
    Start(state, TlsStream(std::move(socket), *state.tls));
  } else {
    Start(state, std::move(socket));
  }
}

}  // namespace nemis::http::internal
