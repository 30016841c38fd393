// EVP_Digest and EVP_MAC (OpenSSL 3). Algorithms are fetched once and shared: fetched
// EVP_MD / EVP_MAC objects are immutable and thread-safe, and an explicit fetch spares the
// per-call lookup the legacy EVP_sm3() path does.
#include "crypto/digest.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <memory>

#include "crypto/internal/keyed_context_cache.hpp"
#include "crypto/internal/openssl_error.hpp"

namespace nemis::crypto {
namespace {

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

EVP_MD* FetchDigest(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) internal::ThrowOpenSslError(std::string("EVP_MD_fetch ") + name);
  return md;
}

const EVP_MD* Sm3Digest() {
  static EVP_MD* const md = FetchDigest("SM3");
  return md;
}

const EVP_MD* Sha256Digest() {
  static EVP_MD* const md = FetchDigest("SHA256");
  return md;
}

EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* const mac = [] {
    EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (m == nullptr) internal::ThrowOpenSslError("EVP_MAC_fetch HMAC");
    return m;
  }();
  return mac;
}

std::string Digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) {
    internal::ThrowOpenSslError("EVP_Digest");
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

// An HMAC context keyed with `key` for `digest_name`.
MacCtxPtr KeyedHmac(const char* digest_name, std::string_view key) {
  MacCtxPtr ctx(EVP_MAC_CTX_new(HmacAlgorithm()));
  if (!ctx) internal::ThrowOpenSslError("EVP_MAC_CTX_new");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest_name), 0),
      OSSL_PARAM_construct_end()};
  // EVP_MAC_init treats a null key as "keep the previous key" (there is none), so an empty
  // key must still be passed as a non-null pointer.
  static const unsigned char kEmptyKey = 0;
  const unsigned char* key_bytes = key.empty() ? &kEmptyKey : Bytes(key);
  if (EVP_MAC_init(ctx.get(), key_bytes, key.size(), params) != 1) {
    internal::ThrowOpenSslError(std::string("HMAC-") + digest_name + " init");
  }
  return ctx;
}

std::string Hmac(const char* digest_name, std::string_view key, std::string_view data) {
  thread_local internal::KeyedContextCache<MacCtxPtr> cache;
  MacCtxPtr& ctx =
      cache.Get(digest_name, key, [&](std::string_view k) { return KeyedHmac(digest_name, k); });
  // A null key restarts the context with the key it was set up with.
  if (EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) != 1 ||
      EVP_MAC_update(ctx.get(), Bytes(data), data.size()) != 1) {
    internal::ThrowOpenSslError(std::string("HMAC-") + digest_name);
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (EVP_MAC_final(ctx.get(), out, &len, sizeof out) != 1) {
    internal::ThrowOpenSslError(std::string("HMAC-") + digest_name + " final");
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace

std::string Sm3(std::string_view data) { return Digest(Sm3Digest(), data); }

std::string HmacSm3(std::string_view key, std::string_view data) { return Hmac("SM3", key, data); }

std::string Sha256(std::string_view data) { return Digest(Sha256Digest(), data); }

void Sha256Hasher::Free::operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256Hasher::Sha256Hasher() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), Sha256Digest(), nullptr) != 1) {
    internal::ThrowOpenSslError("SHA-256 init");
  }
}

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
    internal::ThrowOpenSslError("SHA-256 update");
  }
}

std::string Sha256Hasher::Finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), out, &len) != 1 ||
      EVP_DigestInit_ex(ctx_.get(), Sha256Digest(), nullptr) != 1) {
    internal::ThrowOpenSslError("SHA-256 final");
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  return Hmac("SHA256", key, data);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  return Hmac("SHA1", key, data);
}

}  // namespace nemis::crypto
