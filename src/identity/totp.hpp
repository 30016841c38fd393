// Time-based one-time passwords (RFC 6238) for the second factor: HMAC-SHA-1, 6 digits,
// 30-second steps — the only parameters every authenticator app supports.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace nemis::identity {

inline constexpr int kTotpDigits = 6;
inline constexpr int kTotpPeriodSeconds = 30;
/// RFC 4226 recommends a 160-bit shared secret.
inline constexpr size_t kTotpSecretBytes = 20;
/// `last_used_step` for an account that has never used a code.
inline constexpr int64_t kNoTotpStepUsed = std::numeric_limits<int64_t>::min();

struct TotpSecret {
  std::string key;  // raw bytes, kTotpSecretBytes when generated here

  static TotpSecret Generate();
  /// The form authenticator apps accept (RFC 4648 base32, no padding).
  std::string Base32() const;
  /// Accepts what a user may type or an app exports; refuses secrets under 128 bits.
  static Result<TotpSecret> FromBase32(std::string_view text);
};

/// RFC 4226 HOTP: dynamic truncation of HMAC-SHA-1(key, counter), zero-padded to `digits`
/// (the RFCs use 6 to 8; the 8-digit form is what RFC 6238 appendix B lists).
std::string HotpCode(std::string_view key, uint64_t counter, int digits = kTotpDigits);

/// The 6-digit code of a time step.
std::string TotpCode(std::string_view key, int64_t step);

/// floor(unix seconds / 30); also defined for instants before 1970.
int64_t TotpStep(std::chrono::system_clock::time_point t);

/// Returns the step whose code `code` is (current step or one either side, for clock
/// drift), or nullopt. Steps <= last_used_step are refused so that each code is accepted
/// once: the caller stores the returned step as its new last_used_step.
std::optional<int64_t> VerifyTotp(std::string_view key, std::string_view code,
                                  std::chrono::system_clock::time_point now,
                                  int64_t last_used_step);

/// The enrolment URI an authenticator app reads from the QR code (Google's key URI format).
std::string OtpauthUri(std::string_view issuer, std::string_view account, const TotpSecret& secret);

}  // namespace nemis::identity
