// JSON Web Tokens signed ES256 (RFC 7519 in the compact form of RFC 7515): the OIDC
// provider's ID and access tokens. Verification accepts ES256 only ("none" and every other
// algorithm are refused), needs a key id the provider publishes, checks the signature
// before it trusts any claim, then the type, issuer, audience and times.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/es256.hpp"

namespace nemis::identity {

/// The compact JWT of `claims`, header {"alg":"ES256","typ":typ,"kid":kid}.
std::string SignJwt(const nlohmann::json& claims, const crypto::Es256PrivateKey& key,
                    std::string_view kid, std::string_view typ = "JWT");

struct JwtCheck {
  std::string typ;  // the header's typ, e.g. "JWT" or "at+jwt"
  std::string issuer;
  std::optional<std::string> audience;  // when set, "aud" must be or contain it
  int64_t now = 0;                      // seconds since the epoch
  int64_t leeway = 60;                  // clock skew allowed on exp, nbf and iat
  bool check_expiry = true;             // false for an id_token_hint at logout
};

/// The public key with id `kid`, or null when none is published under it.
using JwtKeyLookup = std::function<std::optional<crypto::Es256PublicKey>(std::string_view kid)>;

/// The claims of a valid token, or Error::Unauthenticated("invalid_token", why): not a
/// compact JWS, not ES256, unknown key id, bad signature, wrong type, issuer or audience,
/// expired or not yet valid.
Result<nlohmann::json> VerifyJwt(std::string_view token, const JwtKeyLookup& key_for,
                                 const JwtCheck& check);

}  // namespace nemis::identity
