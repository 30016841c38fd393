// What a signed-in user's consent to a client turns into: a one-time authorization code
// (bound to the client, its redirect URI and a PKCE S256 challenge), then refresh tokens
// that rotate on every use. A refresh token or a code presented a second time means it
// leaked: the whole family of tokens of that grant is revoked. Only SM3 hashes of codes
// and tokens are stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::identity {

/// What the authorization endpoint approved for a signed-in account.
struct AuthorizationGrant {
  std::string client_id;
  int64_t account_id = 0;
  std::string redirect_uri;
  std::string code_challenge;  // BASE64URL(SHA256(verifier))
  std::string scope;
  std::optional<std::string> nonce;
  int64_t auth_time = 0;  // when the account signed in, seconds since the epoch
};

/// A grant as tokens carry it onward.
struct TokenGrant {
  std::string client_id;
  int64_t account_id = 0;
  std::string scope;
  std::optional<std::string> nonce;
  int64_t auth_time = 0;
  std::string family;  // the refresh-token family
};

struct OidcLifetimes {
  int64_t code_seconds = 120;
  int64_t refresh_seconds = 30 * 24 * 3600;
};

/// Whether `challenge` is a S256 code challenge (43 base64url characters).
bool IsS256Challenge(std::string_view challenge);
/// Whether `verifier` satisfies `challenge` (RFC 7636 §4.6, S256).
bool VerifierMatches(std::string_view verifier, std::string_view challenge);

class OidcGrantStore {
 public:
  OidcGrantStore(db::Database& db, OidcLifetimes lifetimes = {},
                 const Clock& clock = Clock::System())
      : db_(db), lifetimes_(lifetimes), clock_(clock) {}

  /// A new authorization code for `grant` (returned once).
  Result<std::string> IssueCode(const AuthorizationGrant& grant);
  /// Spends `code`: the grant if the code is unexpired, unused, issued to `client_id` for
  /// `redirect_uri`, and `verifier` matches its challenge; with a new refresh token.
  /// Errors are Error::Invalid with code "invalid_grant". A code presented again revokes
  /// what its first use issued.
  Result<std::pair<TokenGrant, std::string>> RedeemCode(std::string_view code,
                                                        std::string_view client_id,
                                                        std::string_view redirect_uri,
                                                        std::string_view verifier);
  /// Spends a refresh token of `client_id` for a new one of the same family, or, if it was
  /// spent before (reuse), revokes the family; errors "invalid_grant".
  Result<std::pair<TokenGrant, std::string>> RotateRefresh(std::string_view token,
                                                           std::string_view client_id);
  /// Revokes the account's refresh tokens for `client_id` (logout).
  Status RevokeFor(int64_t account_id, std::string_view client_id);

 private:
  Result<std::string> InsertRefresh(db::Connection& c, const TokenGrant& grant);
  int64_t Now() const;

  db::Database& db_;
  OidcLifetimes lifetimes_;
  const Clock& clock_;
};

}  // namespace nemis::identity
