// EVP_PKEY generation, PEM I/O and DigestSign/DigestVerify for SM2 and ES256.
#include "crypto/internal/pkey.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <climits>

#include "crypto/internal/openssl_error.hpp"

namespace nemis::crypto::internal {
namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Without a callback OpenSSL would ask for a passphrase on the terminal.
int RefusePassphrase(char*, int, int, void*) { return 0; }

BioPtr ReadOnlyBio(std::string_view text) {
  if (text.size() > static_cast<size_t>(INT_MAX)) return BioPtr(nullptr, BIO_free);
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
  if (!bio) ThrowOpenSslError("BIO_new_mem_buf");
  return bio;
}

std::string DrainBio(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

Error BadKey(const char* message) {
  ClearOpenSslErrors();
  return Error::BadRequest("bad_key", message);
}

}  // namespace

MdCtxPtr StartDigestSignature(evp_pkey_st* key, const char* digest, std::string_view dist_id,
                              bool sign) {
  MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  int ok =
      ctx &&
      (sign ? EVP_DigestSignInit_ex(ctx.get(), &pctx, digest, nullptr, nullptr, key, nullptr)
            : EVP_DigestVerifyInit_ex(ctx.get(), &pctx, digest, nullptr, nullptr, key, nullptr));
  // The SM2 prefix Z (hash of the ID and the public key) is computed at the first update,
  // so setting the ID right after init is in time.
  if (ok == 1 && !dist_id.empty()) {
    ok = EVP_PKEY_CTX_set1_id(pctx, dist_id.data(), static_cast<int>(dist_id.size()));
  }
  if (ok != 1) ThrowOpenSslError(sign ? "EVP_DigestSignInit_ex" : "EVP_DigestVerifyInit_ex");
  return ctx;
}

PkeyPtr AdoptPkey(evp_pkey_st* key) { return PkeyPtr(key, EVP_PKEY_free); }

PkeyPtr GenerateKey(const char* key_type, const char* group) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, key_type, nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(ctx.get(), group) != 1 ||
      EVP_PKEY_generate(ctx.get(), &key) != 1) {
    ThrowOpenSslError(std::string("key generation ") + key_type);
  }
  return AdoptPkey(key);
}

bool IsKeyOn(evp_pkey_st* key, const char* key_type, std::string_view group) {
  char name[64];
  size_t len = 0;
  bool ok = EVP_PKEY_is_a(key, key_type) == 1 &&
            EVP_PKEY_get_group_name(key, name, sizeof name, &len) == 1 &&
            std::string_view(name, len) == group;
  ClearOpenSslErrors();
  return ok;
}

Result<PkeyPtr> ReadPrivateKeyPem(std::string_view pem) {
  BioPtr bio = ReadOnlyBio(pem);
  EVP_PKEY* key =
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, RefusePassphrase, nullptr) : nullptr;
  if (key == nullptr) return BadKey("不是有效的 PEM 私钥（或私钥已加密）");
  return AdoptPkey(key);
}

Result<PkeyPtr> ReadPublicKeyPem(std::string_view pem) {
  BioPtr bio = ReadOnlyBio(pem);
  EVP_PKEY* key =
      bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, RefusePassphrase, nullptr) : nullptr;
  if (key == nullptr) return BadKey("不是有效的 PEM 公钥");
  return AdoptPkey(key);
}

std::string WritePrivateKeyPem(evp_pkey_st* key) {
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    ThrowOpenSslError("PEM_write_bio_PrivateKey");
  }
  return DrainBio(bio.get());
}

std::string WritePublicKeyPem(evp_pkey_st* key) {
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) ThrowOpenSslError("PEM_write_bio_PUBKEY");
  return DrainBio(bio.get());
}

std::string DigestSign(evp_pkey_st* key, const char* digest, std::string_view dist_id,
                       std::string_view message) {
  MdCtxPtr ctx = StartDigestSignature(key, digest, dist_id, /*sign=*/true);
  // The key's maximum signature size; DER signatures come out a byte or two shorter at times.
  size_t len = static_cast<size_t>(EVP_PKEY_get_size(key));
  std::string signature(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                     Bytes(message), message.size()) != 1) {
    ThrowOpenSslError("EVP_DigestSign");
  }
  signature.resize(len);
  return signature;
}

bool DigestVerify(evp_pkey_st* key, const char* digest, std::string_view dist_id,
                  std::string_view message, std::string_view signature) {
  MdCtxPtr ctx = StartDigestSignature(key, digest, dist_id, /*sign=*/false);
  int result = EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(message),
                                message.size());
  if (result != 1) ClearOpenSslErrors();
  return result == 1;
}

std::string PkeyEncrypt(evp_pkey_st* key, std::string_view plaintext) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), EVP_PKEY_CTX_free);
  size_t len = 0;
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_encrypt(ctx.get(), nullptr, &len, Bytes(plaintext), plaintext.size()) != 1) {
    ThrowOpenSslError("EVP_PKEY_encrypt_init");
  }
  std::string out(len, '\0');
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                       Bytes(plaintext), plaintext.size()) != 1) {
    ThrowOpenSslError("EVP_PKEY_encrypt");
  }
  out.resize(len);
  return out;
}

Result<std::string> PkeyDecrypt(evp_pkey_st* key, std::string_view ciphertext) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1) ThrowOpenSslError("EVP_PKEY_decrypt_init");
  size_t len = 0;
  std::string out;
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &len, Bytes(ciphertext), ciphertext.size()) == 1) {
    out.resize(len);
    if (EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                         Bytes(ciphertext), ciphertext.size()) == 1) {
      out.resize(len);
      return out;
    }
  }
  ClearOpenSslErrors();
  return Error::BadRequest("bad_ciphertext",
                           "无法用本节点的私钥解密（不是发给本节点的，或已被改动）");
}

}  // namespace nemis::crypto::internal
