// Bearer secrets: browser sessions (a cookie) and API tokens of machine clients.
// Each is a random 256-bit token given to the client once; the store keeps only
// its SM3 hash, so a copy of the database does not let anyone sign in.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "identity/identity_settings.hpp"

namespace nemis::identity {

/// API tokens start with this, so that leaked ones are easy to recognise and scan for.
inline constexpr std::string_view kApiTokenPrefix = "nemis_";

struct NewSession {
  std::string token;  // for the cookie
  std::string csrf_token;
};

struct LiveSession {
  int64_t session_id = 0;
  int64_t account_id = 0;
  std::string csrf_token;
  std::chrono::system_clock::time_point started_at;  // when the account signed in
};

/// The hex SM3 digest a secret is stored and looked up by.
std::string SecretHash(std::string_view secret);

class CredentialStore {
 public:
  CredentialStore(db::Database& db, IdentitySettings settings, const Clock& clock = Clock::System())
      : db_(db), settings_(std::move(settings)), clock_(clock) {}

  Result<NewSession> OpenSession(int64_t account_id, std::string_view source_ip);
  /// The session if it is live: not revoked, used within the idle timeout, younger
  /// than the absolute timeout. Records the use (at most once a minute).
  Result<std::optional<LiveSession>> ResolveSession(std::string_view token);
  Status CloseSession(std::string_view token);

  /// A new token (returned once) for `account_id`; it never expires if `lifetime` is zero.
  Result<std::string> CreateApiToken(int64_t account_id, std::string_view name,
                                     std::chrono::hours lifetime);
  /// The account of a valid, unrevoked, unexpired token.
  Result<std::optional<int64_t>> ResolveApiToken(std::string_view token);

 private:
  db::Database& db_;
  IdentitySettings settings_;
  const Clock& clock_;
};

}  // namespace nemis::identity
