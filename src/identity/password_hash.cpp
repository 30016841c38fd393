#include "identity/password_hash.hpp"

#include <argon2.h>

#include <stdexcept>

#include "crypto/random.hpp"

namespace nemis::identity {
namespace {
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
}  // namespace

std::string HashPassword(std::string_view password, const Argon2Params& params) {
  std::string salt = crypto::RandomBytes(kSaltBytes);
  size_t length = argon2_encodedlen(params.iterations, params.memory_kib, params.parallelism,
                                    kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(length, '\0');
  int rc = argon2id_hash_encoded(params.iterations, params.memory_kib, params.parallelism,
                                 password.data(), password.size(), salt.data(), salt.size(),
                                 kHashBytes, encoded.data(), length);
  if (rc != ARGON2_OK)
    throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool VerifyPassword(std::string_view password, const std::string& encoded) {
  if (encoded.rfind("$argon2id$", 0) != 0) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace nemis::identity
