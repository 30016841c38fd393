// Mutual TLS between nodes (两级建设: "mutual TLS where configured, otherwise signed
// requests"). Beside its SM2 identity (node_identity.hpp) a node keeps, in its key folder,
//   node_tls.pem  an ECDSA P-256 key (0600)    node_tls.crt  its certificate from the national CA
// Stock OpenSSL 3.0 takes no SM2 key as a TLS certificate, so TLS carries a P-256 key that the
// SM2 CA vouches for (crypto::Sm2Certificate::IssueTls); the batches and answers stay signed
// and sealed with SM2 inside it. The national node certifies its own key (`nemis node tls`);
// a province asks the national node in a signed request (POST /exchange/v1/tls-certificate),
// so only a node the CA certified and has not revoked gets one, for its own code, valid no
// longer than its node certificate.
//
// A node with node.tls_port serves the exchange there over TLS 1.3 to clients presenting a
// certificate of the CA, and takes no signed node call on its plain port (but enrolment and
// the TLS certificate itself). Its calls to https:// URLs present its certificate and accept
// only the node they called. Requests stay signed over TLS: the certificate of the connection
// must be the signer's (CheckTlsPeer).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/sm2_certificate.hpp"
#include "exchange/node_identity.hpp"

namespace nemis::exchange {

inline constexpr std::string_view kTlsKeyFile = "node_tls.pem";
inline constexpr std::string_view kTlsCertificateFile = "node_tls.crt";

/// The node's TLS key in `dir`, made (0600) when it has none; returns its public key (PEM).
Result<std::string> EnsureTlsKey(const std::filesystem::path& dir);

/// On the national node: a TLS certificate for `public_key_pem` (P-256; "bad_key"
/// otherwise) naming the node `node_certificate` names, valid from now until that
/// certificate expires.
Result<std::string> IssueTlsCertificate(const CertificateAuthority& ca,
                                        const crypto::Sm2Certificate& node_certificate,
                                        std::string_view public_key_pem, int64_t now);

/// Installs `certificate_pem` as the node's TLS certificate (replacing an earlier one) after
/// checking it is the CA's, valid now, for this node and for the key in `dir`
/// ("tls_certificate_mismatch" otherwise), and loads it into `self`. Returns what it says.
Result<crypto::TlsCertificateInfo> InstallTlsCertificate(const std::filesystem::path& dir,
                                                         NodeIdentity& self,
                                                         std::string_view certificate_pem,
                                                         int64_t now);

/// Loads the TLS key and certificate from `dir` into `identity` (its `tls` and
/// `tls_client`); nothing when `dir` holds no TLS certificate. "bad_tls_identity" when
/// they do not load or do not belong together.
Status LoadNodeTls(const std::filesystem::path& dir, NodeIdentity& identity);

/// On a mutual-TLS port: whether the connection's certificate (verified by the handshake)
/// is node `code`'s, the one that signed the request. 403 "certificate_mismatch".
Status CheckTlsPeer(const NodeIdentity& self, std::string_view client_certificate_pem,
                    std::string_view code, int64_t now);

}  // namespace nemis::exchange
