// RAND_bytes with a size guard: OpenSSL takes an int length.
#include "crypto/random.hpp"

#include <openssl/rand.h>

#include <climits>
#include <stdexcept>

#include "crypto/encoding.hpp"
#include "crypto/internal/openssl_error.hpp"

namespace nemis::crypto {

std::string RandomBytes(size_t n) {
  if (n > static_cast<size_t>(INT_MAX)) throw std::length_error("RandomBytes: too many bytes");
  std::string out(n, '\0');
  if (n == 0) return out;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    internal::ThrowOpenSslError("RAND_bytes");
  }
  return out;
}

std::string RandomToken(size_t bytes) { return Base64UrlEncode(RandomBytes(bytes)); }

}  // namespace nemis::crypto
