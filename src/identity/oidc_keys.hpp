// The OIDC provider's ES256 signing keys. They live in the store, sealed with the node's
// field keys, so that every server of a node signs and verifies alike. One key is active
// and signs; `nemis oidc rotate-key` retires it for a new one, and the retired key stays
// published in the JWKS beside the active one so that the tokens it signed still verify
// until they expire.
#pragma once

#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/es256.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"

namespace nemis::identity {

struct OidcSigningKey {
  std::string kid;
  crypto::Es256PrivateKey key;
};

class OidcKeyStore {
 public:
  OidcKeyStore(db::Database& db, const crypto::FieldCipher& cipher,
               const Clock& clock = Clock::System())
      : db_(db), cipher_(cipher), clock_(clock) {}

  /// The active key; made on the first call on a node that has none.
  Result<OidcSigningKey> Active();
  /// Makes a new key active and retires the one before (still published); returns its kid.
  Result<std::string> Rotate();
  /// The active key and the one retired last, newest first.
  Result<std::vector<OidcSigningKey>> Published();
  /// The JWK Set of the published keys: {"keys":[...]}.
  Result<std::string> JwksJson();
  /// Seals every key again with the current field keys (after `nemis keys rotate`); returns how
  /// many.
  Result<int64_t> ResealAll();

 private:
  Result<OidcSigningKey> Unseal(const std::string& kid, const std::string& sealed_hex) const;
  Status Insert(db::Connection& c, const OidcSigningKey& key);

  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  const Clock& clock_;
};

}  // namespace nemis::identity
