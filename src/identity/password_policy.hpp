// The password rules of 等保 level 3: length, character classes, no reuse of
// recent passwords, optional expiry. Failures name the field "password".
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace nemis::identity {

struct PasswordPolicy {
  int min_length = 12;   // characters (UTF-8 code points)
  int min_classes = 3;   // of: lower case, upper case, digits, other
  int history = 5;       // a new password may not repeat the last N
  int max_age_days = 0;  // 0: passwords do not expire
};

/// Length, classes, and not containing the login. Reuse is checked by the account store.
Status CheckPasswordStrength(std::string_view password, std::string_view login,
                             const PasswordPolicy& policy);

/// A random password meeting any policy up to 20 characters and 4 classes.
std::string GeneratePassword(size_t length = 20);

}  // namespace nemis::identity
