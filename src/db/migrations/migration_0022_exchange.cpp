// The exchange between nodes (exchange/): how far each source's change log has been applied
// here, the records one person one number kept out (a student another province holds), and
// the nodes this node has issued certificates to or revoked, and their one-time enrolment codes.
#include <string_view>

namespace nemis::db {

std::string_view Migration0022Exchange() {
  return R"SQL(
CREATE TABLE exchange_checkpoint (
  source TEXT PRIMARY KEY,      -- the source node's code
  last_seq BIGINT NOT NULL,     -- its change log is applied up to this sequence
  batches BIGINT NOT NULL,      -- batches applied
  records BIGINT NOT NULL,      -- records applied
  conflicts BIGINT NOT NULL,    -- records kept out as conflicts
  batch_digest TEXT NOT NULL,   -- SM3 of the last batch applied
  last_mark TEXT NOT NULL,      -- the source's fingerprint of its change last_seq (change_reader.hpp)
  applied_at TEXT NOT NULL
);
CREATE TABLE exchange_conflict (
  id {{id}},
  source TEXT NOT NULL,
  source_seq BIGINT NOT NULL,
  kind TEXT NOT NULL,           -- number_held, document_held
  number_index TEXT NOT NULL,   -- blind index of the incoming student's number
  holder_id BIGINT NOT NULL REFERENCES student (id),
  record TEXT NOT NULL,         -- the incoming record, sealed with this node's field keys
  state TEXT NOT NULL DEFAULT 'open',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX exchange_conflict_record ON exchange_conflict (source, number_index);
CREATE TABLE exchange_node (
  code TEXT PRIMARY KEY,        -- the node's code (its province's division code)
  role TEXT NOT NULL,           -- provincial, national
  serial TEXT NOT NULL,         -- of the certificate issued to it
  certificate TEXT NOT NULL,    -- PEM
  state TEXT NOT NULL,          -- active, revoked
  issued_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE exchange_enrolment (
  code_digest TEXT PRIMARY KEY, -- SM3 of a one-time enrolment code (the code itself is not kept)
  node_code TEXT NOT NULL,      -- the province it is for
  expires_at TEXT NOT NULL,
  used_at TEXT,
  created_at TEXT NOT NULL
);
)SQL";
}

}  // namespace nemis::db
