// A node's identity (两级建设): an SM2 key pair and an X.509 certificate issued by the
// national node's CA (crypto/sm2_certificate.hpp), kept as files in the node's key folder
// (config node.key_dir):
//   node_sm2.pem  the node's private key (0600)      node.crt  its certificate
//   ca.crt        the national CA's certificate      ca_sm2.pem the CA's key (national only)
// The national node makes the CA at `nemis node init --role national`; a provincial node
// makes its key at `nemis node init --role provincial` and sends the public key to the
// national node, which certifies it (`nemis node issue`, registered in exchange_node) and
// can revoke it; the province installs what it gets back (`nemis node install`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/sm2.hpp"
#include "crypto/sm2_certificate.hpp"
#include "db/database.hpp"
#include "http/tls.hpp"

namespace nemis::exchange {

enum class NodeRole { kNational, kProvincial };
std::string_view NodeRoleId(NodeRole role);  // "national", "provincial"
/// "national" or "provincial"; "bad_role" otherwise.
Result<NodeRole> ParseNodeRole(std::string_view id);

/// How long the CA's and the nodes' certificates are valid.
inline constexpr int64_t kCaValiditySeconds = 20LL * 365 * 86400;
inline constexpr int64_t kNodeValiditySeconds = 5LL * 365 * 86400;

struct NodeIdentity {
  std::string code;  // the node's code: "000000" national, a province's division code
  NodeRole role = NodeRole::kProvincial;
  crypto::Sm2PrivateKey key;
  crypto::Sm2Certificate certificate;
  crypto::Sm2Certificate ca;
  // Mutual TLS (exchange/node_tls.hpp), when the key folder holds a TLS certificate: the
  // node's identity for its TLS port, and the context its https:// calls present.
  std::optional<http::TlsIdentity> tls = {};
  std::shared_ptr<http::TlsClientContext> tls_client = {};
};

/// The national node's CA (its key and certificate) from its key folder `dir`.
struct CertificateAuthority {
  crypto::Sm2PrivateKey key;
  crypto::Sm2Certificate certificate;
};
Result<CertificateAuthority> LoadCertificateAuthority(const std::filesystem::path& dir);

/// Makes the CA and the national node's own certificate in `dir`. "node_exists" when `dir`
/// already holds any of the node's files; a run that fails part way removes what it wrote.
Result<NodeIdentity> InitNationalNode(const std::filesystem::path& dir, int64_t now);

/// Makes a provincial node's key in `dir` and returns its public key (PEM) for the national
/// node to certify. "node_exists" when `dir` already holds a node key; "bad_node_code" unless
/// `code` is a province's division code (two digits and 0000).
Result<std::string> InitProvincialNode(const std::filesystem::path& dir, std::string_view code);

/// On the national node: a certificate for a province's public key, recorded in
/// exchange_node (a node certified again replaces its earlier certificate). "bad_node_code"
/// unless `code` is a province of this node's division tree.
Result<crypto::Sm2Certificate> IssueNodeCertificate(db::Database& db,
                                                    const std::filesystem::path& dir,
                                                    std::string_view code,
                                                    std::string_view public_key_pem, int64_t now);

/// The two halves of IssueNodeCertificate: the certificate, made with the CA in `dir`, and
/// its record in exchange_node inside the write transaction `c`.
Result<crypto::Sm2Certificate> MakeNodeCertificate(const std::filesystem::path& dir,
                                                   std::string_view code,
                                                   std::string_view public_key_pem, int64_t now);
Status RecordNodeCertificate(db::Connection& c, std::string_view code,
                             const crypto::Sm2Certificate& certificate, int64_t now);

/// On the province: installs the certificate issued for its key and the CA's certificate,
/// after checking the certificate is the CA's, for this node's key, within its validity.
Status InstallNodeCertificate(const std::filesystem::path& dir, std::string_view certificate_pem,
                              std::string_view ca_pem, int64_t now);

/// The node's private key from `dir` (before it has a certificate: to enrol).
Result<crypto::Sm2PrivateKey> LoadNodeKey(const std::filesystem::path& dir);

/// The node's identity from `dir`, with its TLS identity when it has one (node_tls.hpp).
/// "node_not_initialised" naming the missing file.
Result<NodeIdentity> LoadNodeIdentity(const std::filesystem::path& dir);

/// On the national node: the node `code` is no longer trusted. Not found (404) if it was
/// never certified here.
Status RevokeNode(db::Database& db, std::string_view code, int64_t now);

/// Whether `self` trusts `certificate` as node `code`: issued by its CA, valid now, naming
/// `code`, and not revoked; a national node also requires the node to be one it certified
/// (exchange_node). Refusals (403): "certificate_untrusted", "certificate_expired",
/// "node_unknown", "node_revoked".
Status TrustNode(db::Connection& c, const NodeIdentity& self,
                 const crypto::Sm2Certificate& certificate, std::string_view code, int64_t now);

}  // namespace nemis::exchange
