// The identity settings of a node, read from the configuration (identity.* keys).
#pragma once

#include <chrono>

#include "base/config.hpp"
#include "identity/password_hash.hpp"
#include "identity/password_policy.hpp"

namespace nemis::identity {

struct IdentitySettings {
  PasswordPolicy policy;
  Argon2Params argon2;
  int lockout_failures = 5;  // failures within the window lock the account
  std::chrono::minutes lockout_window{15};
  std::chrono::minutes lockout_duration{30};
  std::chrono::minutes session_idle{30};
  std::chrono::hours session_absolute{12};

  static IdentitySettings FromConfig(const Config& config);
};

}  // namespace nemis::identity
