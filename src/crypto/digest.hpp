// Message digests and HMACs, returned as raw bytes (ToHex them for display): SM3 and
// HMAC-SM3 for everything NEMIS protects itself (GB/T 39786), SHA-256 and HMAC-SHA-256
// for interoperability, HMAC-SHA-1 only because RFC 6238 TOTP apps require it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace nemis::crypto {

inline constexpr size_t kSm3Bytes = 32;
inline constexpr size_t kSha256Bytes = 32;
inline constexpr size_t kSha1Bytes = 20;

/// SM3 (GB/T 32905), 32 bytes.
std::string Sm3(std::string_view data);
/// HMAC (RFC 2104) over SM3, 32 bytes. Any key length; an empty key is allowed.
std::string HmacSm3(std::string_view key, std::string_view data);

/// SHA-256, 32 bytes.
std::string Sha256(std::string_view data);
/// SHA-256 over data given in pieces (a file read block by block); 32 bytes, equal to
/// Sha256 of the pieces joined.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data);
  /// The digest of everything given since construction or the last Finish, which it
  /// starts afresh.
  std::string Finish();

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

/// HMAC-SHA-256, 32 bytes.
std::string HmacSha256(std::string_view key, std::string_view data);
/// HMAC-SHA-1, 20 bytes: for RFC 4226/6238 one-time passwords only, not for new designs.
std::string HmacSha1(std::string_view key, std::string_view data);

}  // namespace nemis::crypto
