// Applications that sign their users in through NEMIS (OpenID Connect relying parties),
// registered by the security administrator. A confidential client (a server) gets a
// secret, shown once and kept as an SM3 hash; a public one (a browser or mobile app) has
// none and relies on PKCE alone. Redirect URIs are matched exactly: https, or http on
// the loopback address for development.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::identity {

struct OidcClient {
  std::string client_id;
  std::string name;
  bool confidential = true;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  bool active = true;
  std::string created_at;
};

struct OidcClientInput {
  std::string name;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  bool confidential = true;
};

struct RegisteredClient {
  OidcClient client;
  std::string secret;  // empty for a public client; shown once
};

class OidcClientStore {
 public:
  explicit OidcClientStore(db::Database& db, const Clock& clock = Clock::System())
      : db_(db), clock_(clock) {}

  /// Validates and registers; errors name the field (name, redirectUris, postLogoutRedirectUris).
  /// `attachment` (the request's audit entry) commits with the write; so for Disable.
  Result<RegisteredClient> Register(const OidcClientInput& input, std::string_view created_by,
                                    db::WriteAttachment* attachment = nullptr);
  Result<std::optional<OidcClient>> Find(std::string_view client_id);
  Result<std::vector<OidcClient>> List();
  /// Stops the client: no new sign-ins, no token refreshes.
  Status Disable(std::string_view client_id, db::WriteAttachment* attachment = nullptr);
  /// Whether `secret` is the client's (compared in constant time); false for public clients.
  Result<bool> CheckSecret(std::string_view client_id, std::string_view secret);

 private:
  db::Database& db_;
  const Clock& clock_;
};

/// Whether a redirect URI may be registered: absolute https, or http on 127.0.0.1/localhost,
/// with no fragment.
bool IsAcceptableRedirectUri(std::string_view uri);

}  // namespace nemis::identity
