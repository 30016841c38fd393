#include "http_client.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace nemis::it {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

bool BodyForbidden(int status, bool head) {
  return head || status == 204 || status == 304 || (status >= 100 && status < 200);
}

}  // namespace

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return v;
  return std::nullopt;
}

nlohmann::json HttpResponse::Json() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return nlohmann::json();
  return j;
}

std::string HttpResponse::ErrorCode() const {
  auto j = Json();
  if (j.is_object() && j.contains("error") && j["error"].is_object() &&
      j["error"].contains("code") && j["error"]["code"].is_string())
    return j["error"]["code"].get<std::string>();
  return "";
}

std::string HttpResponse::Describe() const {
  std::string out = "HTTP " + std::to_string(status);
  if (truncated) out += " (truncated)";
  if (!error.empty()) out += " error: " + error;
  out += "\n" + body.substr(0, 2000);
  return out;
}

HttpClient::HttpClient(std::string host, int port) : host_(std::move(host)), port_(port) {}

HttpClient::~HttpClient() { Close(); }

HttpClient::HttpClient(HttpClient&& other) noexcept { *this = std::move(other); }

HttpClient& HttpClient::operator=(HttpClient&& other) noexcept {
  if (this != &other) {
    Close();
    host_ = std::move(other.host_);
    port_ = other.port_;
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
    connections_opened_ = other.connections_opened_;
    retry_stale_ = other.retry_stale_;
    timeout_ = other.timeout_;
    default_headers_ = std::move(other.default_headers_);
  }
  return *this;
}

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool HttpClient::Connect(std::string* error) {
  Close();
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  if (inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1) {
    ::close(fd);
    *error = "bad host " + host_;
    return false;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    *error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return false;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fd_ = fd;
  ++connections_opened_;
  return true;
}

bool HttpClient::SendAll(std::string_view bytes, std::string* error) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    pollfd p{fd_, POLLOUT, 0};
    int r = ::poll(&p, 1, static_cast<int>(timeout_.count()));
    if (r == 0) {
      *error = "timeout while sending";
      return false;
    }
    if (r < 0) {
      if (errno == EINTR) continue;
      *error = std::string("poll: ") + std::strerror(errno);
      return false;
    }
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      *error = std::string("send: ") + std::strerror(errno);
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  return true;
}

long HttpClient::ReadMore(std::string* error) {
  while (true) {
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(timeout_.count()));
    if (r == 0) {
      *error = "timeout while reading";
      return -1;
    }
    if (r < 0) {
      if (errno == EINTR) continue;
      *error = std::string("poll: ") + std::strerror(errno);
      return -1;
    }
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      *error = std::string("recv: ") + std::strerror(errno);
      return -1;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    return n;
  }
}

HttpResponse HttpClient::ReadOne(bool head) {
  HttpResponse res;
  auto fail = [&](std::string why) {
    res.error = std::move(why);
    res.truncated = res.status != 0 || !buffer_.empty();
    Close();
    return res;
  };
  // Status line and headers (1xx responses are skipped).
  while (true) {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      std::string error;
      long n = ReadMore(&error);
      if (n <= 0) return fail(n == 0 ? "connection closed before a complete header" : error);
    }
    std::string head_text = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    size_t line_end = head_text.find("\r\n");
    std::string status_line = head_text.substr(0, line_end);
    if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12)
      return fail("bad status line: " + status_line);
    res.status = std::atoi(status_line.c_str() + 9);
    res.reason = status_line.size() > 13 ? status_line.substr(13) : "";
    res.headers.clear();
    size_t pos = line_end == std::string::npos ? head_text.size() : line_end + 2;
    while (pos < head_text.size()) {
      size_t next = head_text.find("\r\n", pos);
      if (next == std::string::npos) next = head_text.size();
      std::string_view line(head_text.data() + pos, next - pos);
      size_t colon = line.find(':');
      if (colon != std::string_view::npos)
        res.headers.emplace_back(std::string(line.substr(0, colon)), Trim(line.substr(colon + 1)));
      pos = next + 2;
    }
    if (res.status >= 100 && res.status < 200) continue;
    break;
  }
  bool close_after = false;
  if (auto c = res.Header("Connection"); c && EqualsIgnoreCase(*c, "close")) close_after = true;
  if (BodyForbidden(res.status, head)) {
    if (close_after) Close();
    return res;
  }
  auto te = res.Header("Transfer-Encoding");
  if (te && EqualsIgnoreCase(*te, "chunked")) {
    while (true) {
      size_t eol;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        std::string error;
        if (ReadMore(&error) <= 0) return fail("chunked body cut short");
      }
      size_t size = std::strtoul(buffer_.substr(0, eol).c_str(), nullptr, 16);
      buffer_.erase(0, eol + 2);
      while (buffer_.size() < size + 2) {
        std::string error;
        if (ReadMore(&error) <= 0) return fail("chunked body cut short");
      }
      res.body.append(buffer_, 0, size);
      buffer_.erase(0, size + 2);
      if (size == 0) break;
    }
  } else if (auto cl = res.Header("Content-Length")) {
    size_t length = std::strtoull(cl->c_str(), nullptr, 10);
    while (buffer_.size() < length) {
      std::string error;
      long n = ReadMore(&error);
      if (n <= 0) {
        res.body = buffer_;
        return fail("body cut short: " + std::to_string(buffer_.size()) + " of " +
                    std::to_string(length) + " bytes");
      }
    }
    res.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
  } else {
    // No length: the body runs to the end of the connection.
    while (true) {
      std::string error;
      long n = ReadMore(&error);
      if (n == 0) break;
      if (n < 0) return fail(error);
    }
    res.body = std::move(buffer_);
    buffer_.clear();
    close_after = true;
  }
  if (close_after) Close();
  return res;
}

HttpResponse HttpClient::Request(std::string_view method, std::string_view target,
                                 std::string_view body, const Headers& headers) {
  std::string req;
  req.reserve(256 + body.size());
  req.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: ").append(host_);
  req.append(":").append(std::to_string(port_)).append("\r\n");
  bool has_length = false;
  for (const auto& [k, v] : default_headers_) req.append(k).append(": ").append(v).append("\r\n");
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, "Content-Length")) has_length = true;
    req.append(k).append(": ").append(v).append("\r\n");
  }
  bool needs_length = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (needs_length && !has_length)
    req.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  req.append("\r\n");
  req.append(body);
  bool head = method == "HEAD";
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = fd_ >= 0;
    std::string error;
    if (!reused && !Connect(&error)) {
      HttpResponse r;
      r.error = error;
      return r;
    }
    bool sent = SendAll(req, &error);
    // A server may answer early (e.g. 413) and stop reading: read what it said.
    HttpResponse r = ReadOne(head);
    if (!sent && r.status == 0) r.error = error + "; " + r.error;
    if (r.status == 0 && !r.truncated && reused && retry_stale_)
      continue;  // stale keep-alive connection
    return r;
  }
  HttpResponse r;
  r.error = "no response after retry";
  return r;
}

HttpResponse HttpClient::PostJson(std::string_view target, const nlohmann::json& body,
                                  const Headers& headers) {
  Headers h = headers;
  h.emplace_back("Content-Type", "application/json");
  return Request("POST", target, body.dump(), h);
}

HttpResponse HttpClient::SendRaw(std::string_view bytes, bool head) {
  std::string error;
  if (!Connect(&error)) {
    HttpResponse r;
    r.error = error;
    return r;
  }
  bool sent = SendAll(bytes, &error);
  HttpResponse r = ReadOne(head);
  if (!sent && r.status == 0) r.error = error + "; " + r.error;
  return r;
}

bool HttpClient::Write(std::string_view bytes) {
  std::string error;
  if (fd_ < 0 && !Connect(&error)) return false;
  return SendAll(bytes, &error);
}

HttpResponse HttpClient::ReadResponse(bool head) {
  if (fd_ < 0) {
    HttpResponse r;
    r.error = "not connected";
    return r;
  }
  return ReadOne(head);
}

bool HttpClient::ServerClosed(std::chrono::milliseconds wait) {
  if (fd_ < 0) return true;
  auto saved = timeout_;
  timeout_ = wait;
  std::string error;
  long n = ReadMore(&error);
  timeout_ = saved;
  if (n == 0 || (n < 0 && error.find("timeout") == std::string::npos)) {
    Close();
    return true;
  }
  return false;
}

std::string UrlEncode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace nemis::it
