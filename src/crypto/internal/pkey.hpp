// EVP_PKEY plumbing shared by the SM2 and ES256 keys: generation, PEM in and out, and
// one-shot DigestSign / DigestVerify. OpenSSL's types stay out of this header too: only
// the EVP_PKEY struct tag is declared.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"

struct evp_pkey_st;    // OpenSSL's EVP_PKEY
struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace nemis::crypto::internal {

/// Shared so that key objects are cheap to copy; EVP_PKEY is safe to use from several
/// threads at once for signing and verifying.
using PkeyPtr = std::shared_ptr<evp_pkey_st>;

/// Takes ownership of a key OpenSSL returned (freed with EVP_PKEY_free).
PkeyPtr AdoptPkey(evp_pkey_st* key);

/// A new key pair of OpenSSL key type `key_type` ("SM2", "EC") on curve `group`.
PkeyPtr GenerateKey(const char* key_type, const char* group);

/// True when `key` is of key type `key_type` on the curve named `group` (OpenSSL names:
/// "SM2", "prime256v1").
bool IsKeyOn(evp_pkey_st* key, const char* key_type, std::string_view group);

/// PKCS#8 or traditional private key PEM; never prompts for a passphrase (an encrypted
/// PEM fails with "bad_key").
Result<PkeyPtr> ReadPrivateKeyPem(std::string_view pem);
/// SubjectPublicKeyInfo PEM ("PUBLIC KEY"); "bad_key" otherwise.
Result<PkeyPtr> ReadPublicKeyPem(std::string_view pem);
/// Unencrypted PKCS#8 PEM.
std::string WritePrivateKeyPem(evp_pkey_st* key);
/// SubjectPublicKeyInfo PEM.
std::string WritePublicKeyPem(evp_pkey_st* key);

using MdCtxPtr = std::unique_ptr<evp_md_ctx_st, void (*)(evp_md_ctx_st*)>;
/// A digest context initialised for signing (or verifying) with `key` hashed with `digest`
/// ("SM3", "SHA256"); a non-empty `dist_id` is set as the SM2 distinguishing identifier.
/// What X509_sign_ctx takes for an SM2 certificate.
MdCtxPtr StartDigestSignature(evp_pkey_st* key, const char* digest, std::string_view dist_id,
                              bool sign);

/// DER signature of `message` hashed with `digest` ("SM3", "SHA256"). A non-empty
/// `dist_id` is set as the SM2 distinguishing identifier.
std::string DigestSign(evp_pkey_st* key, const char* digest, std::string_view dist_id,
                       std::string_view message);
/// True only for a valid DER signature of `message`; malformed input is just false.
bool DigestVerify(evp_pkey_st* key, const char* digest, std::string_view dist_id,
                  std::string_view message, std::string_view signature);

/// SM2 public-key encryption (GB/T 32918.4; C1C3C2 DER as OpenSSL writes it) of a short
/// secret, e.g. a key.
std::string PkeyEncrypt(evp_pkey_st* key, std::string_view plaintext);
/// The inverse; "bad_ciphertext" when it is not ours or was changed.
Result<std::string> PkeyDecrypt(evp_pkey_st* key, std::string_view ciphertext);

}  // namespace nemis::crypto::internal
