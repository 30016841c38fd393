// The second factor: enrolling a TOTP authenticator (a secret shown once as a QR
// code, confirmed by a first code), one-time recovery codes, and checking a code at
// login. The secret is sealed with the node's field keys; each code is accepted once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"

namespace nemis::identity {

/// What an authenticator app needs, shown once.
struct TotpEnrolment {
  std::string secret;       // base32, for typing in
  std::string otpauth_uri;  // what the QR code holds
  std::string qr_svg;
};

class MfaStore {
 public:
  MfaStore(db::Database& db, const crypto::FieldCipher& cipher,
           const Clock& clock = Clock::System())
      : db_(db), cipher_(cipher), clock_(clock) {}

  /// Starts (or restarts) an enrolment: a new secret, pending until confirmed.
  Result<TotpEnrolment> Begin(int64_t account_id, std::string_view login);
  /// Confirms the pending secret with a code from the app; returns ten recovery codes
  /// (shown once, stored as hashes), replacing any earlier ones.
  Result<std::vector<std::string>> Confirm(int64_t account_id, std::string_view code);
  /// Checks a TOTP code, or else a recovery code; either works once.
  Result<bool> Check(int64_t account_id, std::string_view code);
  /// Seals again with the current key generation every secret sealed with an older one
  /// (after `nemis keys rotate`); returns how many.
  Result<int64_t> ResealSecrets();

 private:
  Result<bool> CheckTotp(db::Connection& c, int64_t account_id, std::string_view code);
  Result<bool> CheckRecoveryCode(db::Connection& c, int64_t account_id, std::string_view code);
  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  const Clock& clock_;
};

}  // namespace nemis::identity
