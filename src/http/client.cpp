// First: it applies the Boost 1.74 include-order fix before any other Asio header.
#include "http/internal/asio.hpp"
// (keep)
#include <openssl/ssl.h>
#include <strings.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>
#include <string>

#include "http/client.hpp"
#include "http/internal/tls_context.hpp"

namespace nemis::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using Parser = bhttp::response_parser<bhttp::string_body>;

Error BadUrl(std::string_view url) {
  return Error::BadRequest("bad_url", "不是有效的 http:// 或 https:// 地址：" + std::string(url));
}

Error Unavailable(const HttpUrl& url, const std::string& what) {
  return Error{ErrorKind::kUnavailable,
               "peer_unavailable",
               "无法与 " + url.host + ":" + url.port + " 通信：" + what,
               {}};
}

// Writes the request and reads the response on a connected (and, for TLS, handshaken)
// stream; `done` gets the outcome.
template <class Stream, class Done>
void Converse(Stream& stream, bhttp::request<bhttp::string_body>& req, beast::flat_buffer& buffer,
              Parser& parser, size_t max_body_bytes, Done done) {
  bhttp::async_write(
      stream, req, [&stream, &buffer, &parser, max_body_bytes, done](beast::error_code ec, size_t) {
        if (ec) return done(ec);
        // The header first: Beast 1.74's parser did not refuse a declared length just over
        // its body_limit (checked), so the length is checked here before the body is read.
        bhttp::async_read_header(
            stream, buffer, parser,
            [&stream, &buffer, &parser, max_body_bytes, done](beast::error_code ec, size_t) {
              if (ec) return done(ec);
              if (parser.content_length().value_or(0) > max_body_bytes) {
                return done(bhttp::error::body_limit);
              }
              bhttp::async_read(stream, buffer, parser,
                                [&parser, max_body_bytes, done](beast::error_code ec, size_t) {
                                  done(ec ? ec
                                       : parser.get().body().size() > max_body_bytes
                                           ? beast::error_code(bhttp::error::body_limit)
                                           : ec);
                                });
            });
      });
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
  HttpUrl out;
  out.tls = url.starts_with("https://");
  if (!out.tls && !url.starts_with("http://")) return BadUrl(url);
  std::string_view rest = url.substr(out.tls ? 8 : 7);
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  const size_t colon = authority.rfind(':');
  out.host = std::string(authority.substr(0, colon));
  out.port = colon != std::string_view::npos ? std::string(authority.substr(colon + 1))
             : out.tls                       ? "443"
                                             : "80";
  if (out.host.empty() || out.port.empty() ||
      out.port.find_first_not_of("0123456789") != std::string::npos ||
      out.host.find_first_of("@ /?#") != std::string::npos) {
    return BadUrl(url);
  }
  return out;
}

Result<ClientResponse> Fetch(const ClientRequest& request) {
  NEMIS_ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(request.url));
  if (url.tls && !request.tls) {
    return Error::BadRequest(
        "tls_not_configured",
        "https:// 地址需要本节点的 TLS 证书（nemis node tls）：" + request.url);
  }
  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(request.method), url.target, 11);
  req.set(bhttp::field::host, url.host + ":" + url.port);
  req.set(bhttp::field::user_agent, "nemis");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    req.set(bhttp::field::content_type, request.content_type);
    req.body() = request.body;
    req.prepare_payload();
  }

  // Asynchronous steps on a private io_context: Beast's stream timeout applies to
  // asynchronous operations only, and run_for bounds the name lookup as well.
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  if (url.tls) {
    secure.emplace(io, request.tls->ssl);
    if (!request.tls_peer_name.empty() &&
        SSL_set1_host(secure->native_handle(), request.tls_peer_name.c_str()) != 1) {
      return Error::Internal("SSL_set1_host");
    }
  } else {
    plain.emplace(io);
  }
  beast::tcp_stream& tcp = secure ? beast::get_lowest_layer(*secure) : *plain;
  beast::flat_buffer buffer;
  Parser parser;
  parser.body_limit(request.max_body_bytes);  // instead of Beast's default of 8 MB
  beast::error_code failure;
  bool done = false;
  const auto finish = [&](beast::error_code ec) {
    failure = ec;
    done = true;
  };
  tcp.expires_after(request.timeout);
  resolver.async_resolve(url.host, url.port, [&](beast::error_code ec, auto endpoints) {
    if (ec) return finish(ec);
    tcp.async_connect(endpoints, [&](beast::error_code ec, const auto&) {
      if (ec) return finish(ec);
      if (!secure) return Converse(*plain, req, buffer, parser, request.max_body_bytes, finish);
      secure->async_handshake(asio::ssl::stream_base::client, [&](beast::error_code ec) {
        if (ec) return finish(ec);
        Converse(*secure, req, buffer, parser, request.max_body_bytes, finish);
      });
    });
  });
  io.run_for(request.timeout);
  if (!done) return Unavailable(url, "超时（" + std::to_string(request.timeout.count()) + " ms）");
  if (failure) return Unavailable(url, failure.message());

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
