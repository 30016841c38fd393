// Electronic signatures on statistics (电子签章): every person who submits or approves a
// unit's annual statistics signs it with an SM2 key the node issues to them on first use
// and holds for them (sealed with the node's field keys), certified by the node's
// statistics signing authority — an SM2 key of its own (stats.signing_key_file), whose
// public half verifiers keep. A certificate is a small JSON document signed by the
// authority (X.509 certificates come with the node identities of the exchange).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "crypto/sm2.hpp"
#include "db/database.hpp"

namespace nemis::stats {

inline constexpr std::string_view kCertificateFormat = "nemis-signer-certificate/1";

/// The authority's certificate of `account`'s public key, issued at `now`.
nlohmann::json IssueCertificate(const crypto::Sm2PrivateKey& authority, const std::string& account,
                                const std::string& public_pem, const std::string& now);
/// "" if `certificate` is well formed and signed by `authority`; otherwise what is wrong.
std::string CertificateProblem(const nlohmann::json& certificate,
                               const crypto::Sm2PublicKey& authority);

/// A signer's key and its certificate.
struct Signer {
  crypto::Sm2PrivateKey key;
  nlohmann::json certificate;
};

class SignerKeys {
 public:
  using AuthorityKey = std::function<Result<crypto::Sm2PrivateKey>()>;
  SignerKeys(const crypto::FieldCipher& cipher, AuthorityKey authority)
      : cipher_(cipher), authority_(std::move(authority)) {}

  /// `account`'s key, issued (and certified) inside `c` on first use.
  Result<Signer> For(db::Connection& c, const std::string& account, const std::string& now) const;
  /// The authority's public key (PEM), for verifiers.
  Result<std::string> AuthorityPublicPem() const;

 private:
  const crypto::FieldCipher& cipher_;
  AuthorityKey authority_;
};

/// The authority key at `path` (audit/signing_key.hpp's rules: created 0600 if missing),
/// read on first use and kept.
SignerKeys::AuthorityKey AuthorityKeyFile(std::string path);

}  // namespace nemis::stats
