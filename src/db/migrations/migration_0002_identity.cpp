// Identity: accounts, roles as sets of permissions, grants of a role at an
// institution (the grant's subtree is what the role may touch), password history,
// TOTP and recovery codes, cookie sessions and API tokens. Secrets are stored only as
// hashes, except TOTP secrets, which must be read back and are sealed with the node's
// field keys.
#include <string_view>

namespace nemis::db {

std::string_view Migration0002Identity() {
  return R"SQL(
CREATE TABLE account (
  id {{id}},
  login TEXT NOT NULL,
  display_name TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES org (id),   -- home institution
  status TEXT NOT NULL DEFAULT 'active',        -- 'active', 'disabled'
  password_hash TEXT,                           -- Argon2id, PHC string format
  password_changed_at TEXT,
  must_change_password SMALLINT NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,     -- failures since failed_since
  failed_since TEXT,
  locked_until TEXT,
  totp_secret TEXT,                             -- sealed (SM4-CTR + HMAC-SM3), hex; NULL: no TOTP
  totp_pending TEXT,                            -- sealed secret of an enrolment not yet confirmed
  totp_last_step BIGINT,                        -- the last accepted time step: a code works once
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX account_login ON account (login);

CREATE TABLE role (
  id {{id}},
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  builtin SMALLINT NOT NULL DEFAULT 0,
  mfa_required SMALLINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX role_name ON role (name);
CREATE TABLE role_permission (
  role_id BIGINT NOT NULL REFERENCES role (id),
  permission TEXT NOT NULL,                     -- 'module.action', e.g. 'student.view'
  PRIMARY KEY (role_id, permission)
);

CREATE TABLE role_grant (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES account (id),
  role_id BIGINT NOT NULL REFERENCES role (id),
  org_id BIGINT NOT NULL REFERENCES org (id),
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX role_grant_unique ON role_grant (account_id, role_id, org_id);

-- One-time recovery codes for a lost authenticator, stored as SHA-256 hashes.
CREATE TABLE recovery_code (
  account_id BIGINT NOT NULL REFERENCES account (id),
  code_hash TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX recovery_code_account ON recovery_code (account_id);

CREATE TABLE password_history (
  account_id BIGINT NOT NULL REFERENCES account (id),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX password_history_account ON password_history (account_id, created_at);

-- A browser session: the cookie holds a random token, the row its SM3 hash.
CREATE TABLE session (
  id {{id}},
  token_hash TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES account (id),
  csrf_token TEXT NOT NULL,
  source_ip TEXT,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE UNIQUE INDEX session_token ON session (token_hash);
CREATE INDEX session_account ON session (account_id);

-- Tokens of machine clients (other systems, other nodes), sent as a Bearer token.
CREATE TABLE api_token (
  id {{id}},
  token_hash TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES account (id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
);
CREATE UNIQUE INDEX api_token_hash ON api_token (token_hash);
CREATE INDEX api_token_account ON api_token (account_id);
)SQL";
}

}  // namespace nemis::db
