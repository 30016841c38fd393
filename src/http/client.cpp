// First: it applies the Boost 1.74 include-order fix before any other Asio header.
#include "http/internal/asio.hpp"
// (keep)
#include <strings.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "http/client.hpp"

namespace nemis::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

Error BadUrl(std::string_view url) {
  return Error::BadRequest("bad_url", "不是有效的 http:// 地址：" + std::string(url));
}

Error Unavailable(const HttpUrl& url, const std::string& what) {
  return Error{ErrorKind::kUnavailable,
               "peer_unavailable",
               "无法与 " + url.host + ":" + url.port + " 通信：" + what,
               {}};
}

}  // namespace

std::optional<std::string> ClientResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return BadUrl(url);
  std::string_view rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  HttpUrl out;
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  const size_t colon = authority.rfind(':');
  out.host = std::string(authority.substr(0, colon));
  out.port = colon == std::string_view::npos ? "80" : std::string(authority.substr(colon + 1));
  if (out.host.empty() || out.port.empty() ||
      out.port.find_first_not_of("0123456789") != std::string::npos ||
      out.host.find_first_of("@ /?#") != std::string::npos) {
    return BadUrl(url);
  }
  return out;
}

Result<ClientResponse> Fetch(const ClientRequest& request) {
  NEMIS_ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(request.url));
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  stream.expires_after(request.timeout);
  asio::ip::tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (ec) return Unavailable(url, ec.message());
  stream.connect(endpoints, ec);
  if (ec) return Unavailable(url, ec.message());

  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(request.method), url.target, 11);
  req.set(bhttp::field::host, url.host + ":" + url.port);
  req.set(bhttp::field::user_agent, "nemis");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    req.set(bhttp::field::content_type, request.content_type);
    req.body() = request.body;
    req.prepare_payload();
  }
  bhttp::write(stream, req, ec);
  if (ec) return Unavailable(url, ec.message());

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(request.max_body_bytes);
  bhttp::read(stream, buffer, parser, ec);
  if (ec) return Unavailable(url, ec.message());
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);

  ClientResponse out;
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = res.body();
  return out;
}

}  // namespace nemis::http
