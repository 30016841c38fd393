// ES256 (RFC 7518 §3.4: ECDSA on P-256 with SHA-256) for the OIDC provider's JWTs and for
// checking tokens from other identity providers. Signatures are JOSE form: r || s, each a
// 32-byte big-endian number, 64 bytes in all (not DER). Keys are cheap to copy.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace nemis::crypto {

inline constexpr size_t kEs256SignatureBytes = 64;

class Es256PublicKey {
 public:
  /// SubjectPublicKeyInfo PEM of a P-256 key; "bad_key" for anything else.
  static Result<Es256PublicKey> FromPem(std::string_view pem);
  /// From a JWK's "x" and "y" (base64url of 32 bytes each); "bad_jwk" if they do not
  /// decode to 32 bytes or are not a point on P-256.
  static Result<Es256PublicKey> FromJwk(std::string_view x_b64url, std::string_view y_b64url);

  /// True only for a valid 64-byte JOSE signature of `message`; any other length is false.
  bool Verify(std::string_view message, std::string_view jose_signature) const;

 private:
  friend class Es256PrivateKey;
  explicit Es256PublicKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

class Es256PrivateKey {
 public:
  static Es256PrivateKey Generate();
  /// Unencrypted PKCS#8 (or SEC1 "EC PRIVATE KEY") PEM of a P-256 key; "bad_key" otherwise.
  static Result<Es256PrivateKey> FromPem(std::string_view pem);

  /// Unencrypted PKCS#8 PEM: protect the file it goes to.
  std::string ToPem() const;
  /// SubjectPublicKeyInfo PEM, for Es256PublicKey::FromPem.
  std::string PublicPem() const;
  Es256PublicKey PublicKey() const { return Es256PublicKey(key_); }

  /// 64-byte JOSE signature (r || s); randomised, so signing twice gives different bytes.
  std::string Sign(std::string_view message) const;
  /// The public key as a JWK for the JWKS endpoint:
  /// {"kty":"EC","crv":"P-256","x":...,"y":...,"kid":kid,"use":"sig","alg":"ES256"}.
  std::string PublicJwkJson(std::string_view kid) const;

 private:
  explicit Es256PrivateKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

}  // namespace nemis::crypto
