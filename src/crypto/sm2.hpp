// SM2 signatures (GB/T 32918.2) over SM3 with the default distinguishing identifier
// "1234567812345678" (GM/T 0009): what node-to-node exchange bundles and audit-log
// checkpoints are signed with. Signatures are DER (SEQUENCE { r INTEGER, s INTEGER }), the
// form GM/T 0009 and X.509 use. Keys are cheap to copy (they share one OpenSSL key).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace nemis::crypto {

/// The user ID every SM2 signature here is made and checked with (GM/T 0009 default).
inline constexpr std::string_view kSm2DefaultUserId = "1234567812345678";

class Sm2PublicKey {
 public:
  /// SubjectPublicKeyInfo PEM of an SM2 key; "bad_key" for anything else (including
  /// keys on other curves).
  static Result<Sm2PublicKey> FromPem(std::string_view pem);

  /// True only if `signature` is a valid DER SM2 signature of `message` by this key.
  bool Verify(std::string_view message, std::string_view signature) const;

  /// SM2 encryption (GB/T 32918.4) of a short secret for the holder of the private key:
  /// how a sender hands a receiving node the SM4 key of what it sealed for it.
  std::string Encrypt(std::string_view plaintext) const;

  std::string ToPem() const;

 private:
  friend class Sm2PrivateKey;
  friend class Sm2Certificate;
  explicit Sm2PublicKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

class Sm2PrivateKey {
 public:
  static Sm2PrivateKey Generate();
  /// Unencrypted PKCS#8 (or traditional EC) PEM of an SM2 key; "bad_key" otherwise.
  static Result<Sm2PrivateKey> FromPem(std::string_view pem);

  /// Unencrypted PKCS#8 PEM: protect the file it goes to.
  std::string ToPem() const;
  /// SubjectPublicKeyInfo PEM, for Sm2PublicKey::FromPem on the verifying side.
  std::string PublicPem() const;
  Sm2PublicKey PublicKey() const { return Sm2PublicKey(key_); }

  /// DER signature; randomised, so signing twice gives different bytes.
  std::string Sign(std::string_view message) const;

  /// Opens what Sm2PublicKey::Encrypt sealed for this key; "bad_ciphertext" otherwise.
  Result<std::string> Decrypt(std::string_view ciphertext) const;

 private:
  friend class Sm2Certificate;
  explicit Sm2PrivateKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

}  // namespace nemis::crypto
