// What the provider hands a client for a grant: an ID token (who signed in, for the
// client: RFC OpenID Connect Core §2), an access token for this node's userinfo endpoint
// (RFC 9068, typ at+jwt), both ES256 JWTs, and the grant's refresh token. Both JWTs carry
// the account's login as subject, its home institution (code and level) and its roles.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "base/result.hpp"
#include "db/database.hpp"
#include "identity/oidc_grants.hpp"
#include "identity/oidc_keys.hpp"

namespace nemis::identity {

/// The claims of an account, as tokens and userinfo give them.
struct OidcIdentity {
  std::string login;         // "sub": unique on the node, never given to another account
  std::string display_name;  // "name"
  std::string org_code;      // "org": the home institution
  std::string org_level;     // "org_level": national, province, city, county or school
  nlohmann::json roles = nlohmann::json::array();  // [{"role","org","level"}]

  /// The claims userinfo answers with.
  nlohmann::json Claims() const;
};

/// The identity of an active account; Error::NotFound when it is disabled or gone.
Result<OidcIdentity> LoadOidcIdentity(db::Connection& c, int64_t account_id);

struct OidcTokenSet {
  std::string id_token, access_token, refresh_token, scope;
  int64_t expires_in = 0;  // of the access token, seconds
};

struct OidcTokenSettings {
  std::string issuer;
  int64_t access_seconds = 600;
  int64_t id_seconds = 600;
};

OidcTokenSet MintTokens(const OidcSigningKey& key, const OidcTokenSettings& settings,
                        const OidcIdentity& who, const TokenGrant& grant, std::string refresh_token,
                        int64_t now);

}  // namespace nemis::identity
