#include "http/test_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace nemis::http::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Parses the head (status line and headers, without the blank line).
bool ParseHead(std::string_view head, ClientResponse* res) {
  size_t eol = head.find("\r\n");
  std::string_view status_line = head.substr(0, eol);
  if (status_line.substr(0, 5) != "HTTP/" || status_line.size() < 12) return false;
  res->status = std::stoi(std::string(status_line.substr(9, 3)));
  while (eol != std::string_view::npos) {
    head.remove_prefix(eol + 2);
    eol = head.find("\r\n");
    std::string_view line = head.substr(0, eol);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    res->headers.emplace_back(std::string(line.substr(0, colon)),
                              std::string(Trim(line.substr(colon + 1))));
  }
  return true;
}

}  // namespace

std::optional<std::string> ClientResponse::Header(std::string_view name) const {
  std::string wanted = Lower(name);
  for (const auto& [k, v] : headers) {
    if (Lower(k) == wanted) return v;
  }
  return std::nullopt;
}

TestConnection::TestConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

TestConnection::~TestConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool TestConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool TestConnection::Fill(Clock::time_point deadline) {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
  char chunk[16384];
  ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::optional<ClientResponse> TestConnection::Read(std::chrono::milliseconds timeout,
                                                   bool head_request) {
  if (fd_ < 0) return std::nullopt;
  auto deadline = Clock::now() + timeout;
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(deadline)) return std::nullopt;
  }
  ClientResponse res;
  if (!ParseHead(std::string_view(buffer_).substr(0, end), &res)) return std::nullopt;
  buffer_.erase(0, end + 4);
  size_t length = 0;
  if (auto cl = res.Header("Content-Length"); cl && !head_request) length = std::stoul(*cl);
  while (buffer_.size() < length) {
    if (!Fill(deadline)) return std::nullopt;
  }
  res.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return res;
}

bool TestConnection::WaitClosed(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::max<int64_t>(left, 1))) <= 0) return false;
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
  return false;
}

std::string RequestText(std::string_view method, std::string_view target, std::string_view body,
                        const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (const auto& [k, v] : headers) out.append(k).append(": ").append(v).append("\r\n");
  if (!body.empty())
    out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  out.append("\r\n").append(body);
  return out;
}

std::optional<ClientResponse> Fetch(
    int port, std::string_view method, std::string_view target, std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  TestConnection c(port);
  if (!c.connected() || !c.Send(RequestText(method, target, body, headers))) return std::nullopt;
  return c.Read(10s, method == "HEAD");
}

TestServer::TestServer(ServerOptions options, const Router& router)
    : server_(std::make_unique<Server>(std::move(options), router)) {
  auto port = server_->Listen();
  if (!port.ok()) throw std::runtime_error("listen failed: " + port.error().message);
  port_ = *port;
  thread_ = std::thread([this] { server_->Run(false); });
}

TestServer::~TestServer() { StopAndJoin(); }

std::chrono::milliseconds TestServer::StopAndJoin() {
  auto start = Clock::now();
  if (!joined_) {
    server_->Stop();
    thread_.join();
    joined_ = true;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

ServerOptions TestOptions(const std::string& spool_dir) {
  ServerOptions o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.io_threads = 2;
  o.workers = 2;
  o.spool_dir = spool_dir;
  o.access_log = false;
  o.shutdown_grace = std::chrono::milliseconds(5000);
  return o;
}

}  // namespace nemis::http::test
