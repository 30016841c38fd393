// Checking a login and password, with login-failure handling: after
// lockout_failures failures within lockout_window the account locks for
// lockout_duration. An unknown login, a wrong password and a locked account get
// the same error (and take about the same time), so a caller cannot tell them apart.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "identity/identity_settings.hpp"

namespace nemis::identity {

inline constexpr std::string_view kLoginFailedCode = "login_failed";

struct LoginOutcome {
  int64_t account_id = 0;
  bool must_change_password = false;  // flagged, or expired under the policy
};

/// What happened to a login attempt, for the audit log: the caller answers the
/// same to all failures, but the audit records the truth.
enum class LoginFailure { kNone, kUnknownAccount, kWrongPassword, kLocked, kDisabled };

class Authenticator {
 public:
  Authenticator(db::Database& db, IdentitySettings settings, const Clock& clock = Clock::System());

  /// The account on success; otherwise Error::Unauthenticated(kLoginFailedCode), with
  /// the reason in *failure.
  Result<LoginOutcome> CheckPassword(std::string_view login, std::string_view password,
                                     LoginFailure* failure = nullptr);
  /// Counts a failed login against the account (a wrong second factor counts too).
  Status RecordFailure(int64_t account_id);

 private:
  db::Database& db_;
  IdentitySettings settings_;
  const Clock& clock_;
  std::string dummy_hash_;  // verified against for unknown logins, to take the same time
};

}  // namespace nemis::identity
