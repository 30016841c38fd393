// Password hashes: Argon2id (RFC 9106) in the PHC string format
// ($argon2id$v=19$m=65536,t=3,p=1$salt$hash), so that the parameters travel with
// each hash and can be raised later without invalidating stored ones.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nemis::identity {

struct Argon2Params {
  uint32_t memory_kib = 65536;  // 64 MiB: RFC 9106's second recommended option
  uint32_t iterations = 3;
  uint32_t parallelism = 1;
};

std::string HashPassword(std::string_view password, const Argon2Params& params);
/// False for a wrong password and for a malformed hash.
bool VerifyPassword(std::string_view password, const std::string& encoded);

}  // namespace nemis::identity
