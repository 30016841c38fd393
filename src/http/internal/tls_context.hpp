// The OpenSSL contexts behind http/tls.hpp, for the translation units that already
// include Asio (the server's and the client's).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "http/tls.hpp"

struct ssl_st;  // OpenSSL's SSL

namespace nemis::http {

struct TlsClientContext {
  explicit TlsClientContext(boost::asio::ssl::context c) : ssl(std::move(c)) {}
  boost::asio::ssl::context ssl;
};

namespace internal {

/// TLS 1.3 only; the peer must present a certificate issued by `identity.ca_pem` (a server
/// refuses a client without one). "bad_tls_identity" when a part does not load.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeTlsContext(const TlsIdentity& identity,
                                                                  bool server);

/// The certificate the peer presented on `ssl` (verified by the handshake), PEM; empty when
/// it presented none.
std::string PeerCertificatePem(ssl_st* ssl);

}  // namespace internal
}  // namespace nemis::http
