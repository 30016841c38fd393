// Node-to-node HTTP calls authenticated by the calling node's certificate (a signed request:
// what the exchange uses where no mutual TLS is set up). The caller sends
//   Authorization: NEMIS-SM2 node=<code>,to=<code>,time=<unix s>,nonce=<32 hex>,signature=<b64>
//   X-Nemis-Certificate: <its certificate, PEM in base64>
// the signature (SM2 over SM3) covering the scheme, both nodes, method, target, time, nonce
// and the SM3 of the body. The receiver checks it is the node addressed, the certificate
// (node_identity.hpp: issued by its CA, not revoked), the signature, that the time is within
// kRequestSkewSeconds of its own and that the nonce was not used within that window. The
// nonces are remembered in memory: a request replayed to a restarted node within the window
// passes, but what the exchange answers is sealed for the calling node alone.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "exchange/node_identity.hpp"

namespace nemis::exchange {

inline constexpr std::string_view kNodeAuthScheme = "NEMIS-SM2";
inline constexpr std::string_view kCertificateHeader = "X-Nemis-Certificate";
inline constexpr int64_t kRequestSkewSeconds = 300;

/// The two headers that sign a request of `self` to the node `to`.
std::vector<std::pair<std::string, std::string>> SignNodeRequest(
    const NodeIdentity& self, std::string_view to, std::string_view method, std::string_view target,
    std::string_view body, int64_t now);

struct NodeCaller {
  std::string code;
  crypto::Sm2Certificate certificate;
};

/// Checks signed requests; remembers the nonces it has seen for the skew window. Thread-safe.
class NodeRequestVerifier {
 public:
  /// Refusals: 401 "node_unauthenticated" (no or a malformed signature, a stale time, a
  /// nonce seen before, a signature that does not verify) and the certificate's own 403s
  /// (TrustNode).
  Result<NodeCaller> Verify(db::Database& db, const NodeIdentity& self, std::string_view method,
                            std::string_view target, std::string_view body,
                            std::string_view authorization, std::string_view certificate,
                            int64_t now);

 private:
  bool FirstUse(const std::string& nonce, int64_t time, int64_t now);
  std::mutex mu_;
  std::map<std::string, int64_t> nonces_;  // nonce -> the time it was signed at
};

}  // namespace nemis::exchange
