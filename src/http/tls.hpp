// TLS for the node-to-node port (mutual TLS between data centres): both sides present a
// certificate and accept only one issued by the configured CA, TLS 1.3 only. The server
// side is ServerOptions::tls; the client side a TlsClientContext given to Fetch. Free of
// Asio in this header: the contexts are defined in http/internal/tls_context.hpp.
#pragma once

#include <memory>
#include <string>

#include "base/result.hpp"

namespace nemis::http {

struct TlsIdentity {
  std::string certificate_pem;  // this side's certificate
  std::string key_pem;          // its private key (PKCS#8 PEM)
  std::string ca_pem;           // the CA the other side's certificate must be issued by
};

/// An OpenSSL client context made once and shared by every Fetch that uses it.
struct TlsClientContext;

/// "bad_tls_identity" (400) when the certificate, key or CA does not load or the key is
/// not the certificate's.
Result<std::shared_ptr<TlsClientContext>> MakeTlsClientContext(const TlsIdentity& identity);

}  // namespace nemis::http
