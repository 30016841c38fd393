// Cryptographically secure random bytes (OpenSSL's DRBG) for keys, IVs, nonces and
// bearer tokens.
#pragma once

#include <cstddef>
#include <string>

namespace nemis::crypto {

/// `n` random bytes. Throws std::runtime_error if the generator fails (it never should on a
/// seeded system; carrying on with weak randomness would be worse).
std::string RandomBytes(size_t n);

/// Base64url (no padding) of `bytes` random bytes: 32 bytes give a 43-character token.
std::string RandomToken(size_t bytes = 32);

}  // namespace nemis::crypto
