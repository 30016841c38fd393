// First: it applies the Boost 1.74 include-order fix before any other Asio header.
// clang-format off
#include "http/internal/asio.hpp"
// clang-format on

#include "http/internal/tls_context.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <exception>

#include "crypto/sm2_certificate.hpp"

namespace nemis::http {
namespace internal {
namespace {

namespace ssl = boost::asio::ssl;

// The certificates are signed by an SM2 CA, and OpenSSL checks an SM2 signature only with the
// identifier the certificate object carries: every certificate of the chain is given it
// before the chain is checked.
bool CarrySm2Id(X509* cert) {
  try {
    crypto::CarrySm2DefaultId(cert);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

int VerifyChain(X509_STORE_CTX* ctx, void* /*arg*/) {
  if (X509* leaf = X509_STORE_CTX_get0_cert(ctx); leaf == nullptr || !CarrySm2Id(leaf)) return 0;
  if (STACK_OF(X509)* chain = X509_STORE_CTX_get0_untrusted(ctx); chain != nullptr) {
    for (int i = 0; i < sk_X509_num(chain); ++i) {
      if (!CarrySm2Id(sk_X509_value(chain, i))) return 0;
    }
  }
  return X509_verify_cert(ctx);
}

Error BadIdentity(const std::string& what) {
  ERR_clear_error();
  return Error::BadRequest("bad_tls_identity", "TLS 证书或密钥无法使用：" + what);
}

}  // namespace

Result<std::unique_ptr<ssl::context>> MakeTlsContext(const TlsIdentity& identity, bool server) {
  auto ctx =
      std::make_unique<ssl::context>(server ? ssl::context::tls_server : ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) != 1) return BadIdentity("TLS 1.3");
  boost::system::error_code ec;
  ctx->use_certificate_chain(boost::asio::buffer(identity.certificate_pem), ec);
  if (ec) return BadIdentity("证书（" + ec.message() + "）");
  ctx->use_private_key(boost::asio::buffer(identity.key_pem), ssl::context::pem, ec);
  if (ec) return BadIdentity("私钥（" + ec.message() + "）");
  if (SSL_CTX_check_private_key(native) != 1) return BadIdentity("私钥与证书不匹配");
  ctx->add_certificate_authority(boost::asio::buffer(identity.ca_pem), ec);
  if (ec) return BadIdentity("CA 证书（" + ec.message() + "）");
  ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
  if (ec) return BadIdentity(ec.message());
  SSL_CTX_set_cert_verify_callback(native, VerifyChain, nullptr);
  // No resumption across connections: every connection proves its certificate afresh, so
  // a revoked node's session cannot be resumed.
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(native, 0);
  return ctx;
}

std::string PeerCertificatePem(ssl_st* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return "";
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  std::string pem;
  if (bio && PEM_write_bio_X509(bio.get(), cert) == 1) {
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    pem.assign(data, static_cast<size_t>(len));
  }
  X509_free(cert);
  return pem;
}

}  // namespace internal

Result<std::shared_ptr<TlsClientContext>> MakeTlsClientContext(const TlsIdentity& identity) {
  NEMIS_ASSIGN_OR_RETURN(auto ctx, internal::MakeTlsContext(identity, /*server=*/false));
  return std::make_shared<TlsClientContext>(std::move(*ctx));
}

}  // namespace nemis::http
