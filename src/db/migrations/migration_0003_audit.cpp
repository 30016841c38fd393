// The audit log (src/audit/): append-only entries chained by SM3, the chain head that
// serialises appenders and anchors the chain after a purge, and SM2-signed checkpoints.
// Hashes and signatures are lowercase hex. The chain and its serialisation are described
// in src/audit/audit_chain.hpp.
#include <string_view>

namespace nemis::db {

std::string_view Migration0003Audit() {
  return R"SQL(
-- One row per audited action. seq is taken from audit_head inside the writing
-- transaction: gap-free and increasing, in commit order. Rows are never updated.
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  logged_at TEXT NOT NULL,      -- UTC, "2026-11-21T23:16:16.123Z" (fixed width: sorts as text)
  account TEXT NOT NULL,        -- login; empty for an anonymous caller
  roles TEXT NOT NULL,          -- role/grant summary of the caller
  scope TEXT NOT NULL,          -- the caller's scope (e.g. an org code)
  source_ip TEXT NOT NULL,
  request_id TEXT NOT NULL,
  action TEXT NOT NULL,         -- 'module.action', e.g. 'student.view_sensitive', 'auth.login'
  target TEXT NOT NULL,         -- internal id or code; never personal data in clear
  outcome TEXT NOT NULL,        -- 'success', 'failure', 'denied'
  details TEXT NOT NULL,        -- JSON
  entry_hash TEXT NOT NULL      -- SM3(previous entry_hash || canonical entry)
);
CREATE INDEX audit_log_logged_at ON audit_log (logged_at);
CREATE INDEX audit_log_account ON audit_log (account, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);

-- The chain head: the last seq and hash (appenders lock this row, so concurrent
-- appends cannot fork the chain) and the anchor the chain starts from: the last
-- purged entry (seq 0 and 32 zero bytes while nothing has been purged).
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL,
  anchor_seq BIGINT NOT NULL,
  anchor_hash TEXT NOT NULL,
  purged_at TEXT                -- UTC of the last purge
);
INSERT INTO audit_head (id, last_seq, last_hash, anchor_seq, anchor_hash) VALUES (1, 0,
  '0000000000000000000000000000000000000000000000000000000000000000', 0,
  '0000000000000000000000000000000000000000000000000000000000000000');

-- SM2 signatures by the node key over (seq, entry_hash, signed_at).
CREATE TABLE audit_checkpoint (
  id {{id}},
  seq BIGINT NOT NULL,
  entry_hash TEXT NOT NULL,
  signed_at TEXT NOT NULL,      -- UTC
  signature TEXT NOT NULL       -- DER, hex
);
CREATE INDEX audit_checkpoint_seq ON audit_checkpoint (seq, id);
)SQL";
}

}  // namespace nemis::db
