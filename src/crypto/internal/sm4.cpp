// EVP_CIPHER SM4-ECB / SM4-CTR. Wrong key or IV sizes are programming errors (the callers
// hold fixed-size keys), so they throw instead of returning a Result.
#include "crypto/internal/sm4.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "crypto/internal/keyed_context_cache.hpp"
#include "crypto/internal/openssl_error.hpp"

namespace nemis::crypto::internal {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

EVP_CIPHER* FetchCipher(const char* name) {
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
  if (cipher == nullptr) ThrowOpenSslError(std::string("EVP_CIPHER_fetch ") + name);
  return cipher;
}

void RequireSize(std::string_view what, std::string_view value, size_t size) {
  if (value.size() != size) {
    throw std::invalid_argument("SM4 " + std::string(what) + " must be " + std::to_string(size) +
                                " bytes");
  }
}

// Runs `data` through an initialised encryption context, in 1 GiB chunks because EVP takes
// int lengths (the chunk size keeps ECB on block boundaries). CTR and unpadded ECB produce
// exactly as many bytes as they take.
std::string Run(EVP_CIPHER_CTX* ctx, std::string_view data) {
  std::string out(data.size(), '\0');
  size_t done = 0;
  while (done < data.size()) {
    int chunk = static_cast<int>(std::min<size_t>(data.size() - done, size_t{1} << 30));
    int written = 0;
    if (EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()) + done, &written,
                          Bytes(data) + done, chunk) != 1 ||
        written != chunk) {
      ThrowOpenSslError("EVP_EncryptUpdate SM4");
    }
    done += static_cast<size_t>(chunk);
  }
  int final_len = 0;
  unsigned char tail[kSm4BlockBytes];
  if (EVP_EncryptFinal_ex(ctx, tail, &final_len) != 1 || final_len != 0) {
    ThrowOpenSslError("EVP_EncryptFinal_ex SM4");
  }
  return out;
}

std::string Encrypt(const EVP_CIPHER* cipher, std::string_view key, const unsigned char* iv,
                    std::string_view data) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex2(ctx.get(), cipher, Bytes(key), iv, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    ThrowOpenSslError("EVP_EncryptInit_ex2 SM4");
  }
  return Run(ctx.get(), data);
}

}  // namespace

std::string Sm4EncryptBlock(std::string_view key, std::string_view block) {
  static EVP_CIPHER* const ecb = FetchCipher("SM4-ECB");
  RequireSize("key", key, kSm4KeyBytes);
  RequireSize("block", block, kSm4BlockBytes);
  return Encrypt(ecb, key, nullptr, block);
}

std::string Sm4Ctr(std::string_view key, std::string_view iv, std::string_view data) {
  static EVP_CIPHER* const ctr = FetchCipher("SM4-CTR");
  RequireSize("key", key, kSm4KeyBytes);
  RequireSize("IV", iv, kSm4BlockBytes);
  // The key schedule is set up once per thread and key; each call only sets the IV.
  thread_local KeyedContextCache<CipherCtxPtr> cache;
  CipherCtxPtr& ctx = cache.Get("SM4-CTR", key, [&](std::string_view k) {
    CipherCtxPtr made(EVP_CIPHER_CTX_new());
    if (!made || EVP_EncryptInit_ex2(made.get(), ctr, Bytes(k), nullptr, nullptr) != 1)
      ThrowOpenSslError("EVP_EncryptInit_ex2 SM4-CTR");
    return made;
  });
  if (EVP_EncryptInit_ex2(ctx.get(), nullptr, nullptr, Bytes(iv), nullptr) != 1)
    ThrowOpenSslError("EVP_EncryptInit_ex2 SM4-CTR IV");
  return Run(ctx.get(), data);
}

}  // namespace nemis::crypto::internal
