// The OpenID Connect provider (src/identity/oidc_*.hpp): registered clients, its signing
// keys, authorization codes and refresh tokens. Secrets are kept as SM3 hashes, the
// private keys sealed with the node's field keys.
#include <string_view>

namespace nemis::db {

std::string_view Migration0005Oidc() {
  return R"SQL(
CREATE TABLE oidc_client (
  id {{id}},
  client_id TEXT NOT NULL,
  name TEXT NOT NULL,
  secret_hash TEXT,                        -- NULL: a public client (PKCE alone)
  redirect_uris TEXT NOT NULL,             -- JSON array, matched exactly
  post_logout_redirect_uris TEXT NOT NULL, -- JSON array
  status TEXT NOT NULL DEFAULT 'active',   -- 'active', 'disabled'
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX oidc_client_id ON oidc_client (client_id);

-- The active key signs; retired ones stay published until the tokens they signed expire.
CREATE TABLE oidc_signing_key (
  kid TEXT PRIMARY KEY,
  private_key TEXT NOT NULL,               -- PKCS#8 PEM sealed with the field keys, hex
  created_at TEXT NOT NULL,
  retired_at TEXT                          -- NULL for the one active key
);

CREATE TABLE oidc_code (
  code_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES account (id),
  redirect_uri TEXT NOT NULL,
  code_challenge TEXT NOT NULL,            -- S256 only
  scope TEXT NOT NULL,
  nonce TEXT,
  auth_time BIGINT NOT NULL,               -- seconds since the epoch
  expires_at BIGINT NOT NULL,
  family TEXT,                             -- the refresh family its redemption started
  used_at BIGINT
);

CREATE TABLE oidc_refresh (
  token_hash TEXT PRIMARY KEY,
  family TEXT NOT NULL,                    -- every rotation of one grant
  client_id TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES account (id),
  scope TEXT NOT NULL,
  nonce TEXT,
  auth_time BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,                          -- rotated: presenting it again is reuse
  revoked_at BIGINT
);
CREATE INDEX oidc_refresh_family ON oidc_refresh (family);
CREATE INDEX oidc_refresh_account ON oidc_refresh (account_id, client_id);
)SQL";
}

}  // namespace nemis::db
