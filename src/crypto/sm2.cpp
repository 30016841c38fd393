// SM2 keys on top of internal/pkey: the key type check and the fixed digest and user ID.
#include "crypto/sm2.hpp"

#include "crypto/internal/pkey.hpp"

namespace nemis::crypto {
namespace {

constexpr const char* kKeyType = "SM2";
constexpr const char* kGroup = "SM2";
constexpr const char* kDigest = "SM3";

// An SM2-curve key decoded as a plain EC key would sign with ECDSA, so insist on the type.
Result<internal::PkeyPtr> RequireSm2(Result<internal::PkeyPtr> key) {
  if (key.ok() && !internal::IsKeyOn(key->get(), kKeyType, kGroup)) {
    return Error::BadRequest("bad_key", "不是 SM2 密钥");
  }
  return key;
}

}  // namespace

Result<Sm2PublicKey> Sm2PublicKey::FromPem(std::string_view pem) {
  NEMIS_ASSIGN_OR_RETURN(internal::PkeyPtr key, RequireSm2(internal::ReadPublicKeyPem(pem)));
  return Sm2PublicKey(std::move(key));
}

bool Sm2PublicKey::Verify(std::string_view message, std::string_view signature) const {
  return internal::DigestVerify(key_.get(), kDigest, kSm2DefaultUserId, message, signature);
}

std::string Sm2PublicKey::Encrypt(std::string_view plaintext) const {
  return internal::PkeyEncrypt(key_.get(), plaintext);
}

std::string Sm2PublicKey::ToPem() const { return internal::WritePublicKeyPem(key_.get()); }

Sm2PrivateKey Sm2PrivateKey::Generate() {
  return Sm2PrivateKey(internal::GenerateKey(kKeyType, kGroup));
}

Result<Sm2PrivateKey> Sm2PrivateKey::FromPem(std::string_view pem) {
  NEMIS_ASSIGN_OR_RETURN(internal::PkeyPtr key, RequireSm2(internal::ReadPrivateKeyPem(pem)));
  return Sm2PrivateKey(std::move(key));
}

std::string Sm2PrivateKey::ToPem() const { return internal::WritePrivateKeyPem(key_.get()); }

std::string Sm2PrivateKey::PublicPem() const { return internal::WritePublicKeyPem(key_.get()); }

std::string Sm2PrivateKey::Sign(std::string_view message) const {
  return internal::DigestSign(key_.get(), kDigest, kSm2DefaultUserId, message);
}

Result<std::string> Sm2PrivateKey::Decrypt(std::string_view ciphertext) const {
  return internal::PkeyDecrypt(key_.get(), ciphertext);
}

}  // namespace nemis::crypto
