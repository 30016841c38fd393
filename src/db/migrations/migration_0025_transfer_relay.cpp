// Cross-province transfers between two provincial nodes, through the national node
// (exchange/transfer_relay.hpp, transfer_handover.hpp).
// - On the national node, each transfer a receiving province asked for: the two provinces, the
//   receiving province's case, the student (blind index of the number), the request (sealed),
//   the sending province's decision and, once released, the student's record (sealed) for the
//   receiving province to enrol.
// - On the receiving province's node, beside its case (external_transfer): the national
//   node's id of the transfer, where it stands here, and when its completion was reported.
// - On the sending province's node, the case it opened for each transfer asked of it, the
//   student, its decision and when the national node took it.
#include <string_view>

namespace nemis::db {

std::string_view Migration0025TransferRelay() {
  return R"SQL(
CREATE TABLE exchange_transfer (
  id {{id}},
  to_province TEXT NOT NULL,        -- the receiving province's node code
  to_case_id BIGINT NOT NULL,       -- its case (transfer.external_in)
  from_province TEXT NOT NULL,      -- the sending province's node code
  number_index TEXT NOT NULL,       -- blind index of the student's number
  request TEXT NOT NULL,            -- sealed JSON: number, name, school, grade, class, reason, date
  state TEXT NOT NULL,              -- requested, released, refused, completed
  comment TEXT NOT NULL DEFAULT '',
  record TEXT,                      -- the student as released, sealed with this node's field keys
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX exchange_transfer_case ON exchange_transfer (to_province, to_case_id);
CREATE INDEX exchange_transfer_from ON exchange_transfer (from_province, state);
CREATE INDEX exchange_transfer_person ON exchange_transfer (number_index);
ALTER TABLE external_transfer ADD COLUMN national_id BIGINT;
ALTER TABLE external_transfer ADD COLUMN state TEXT NOT NULL DEFAULT 'waiting';
ALTER TABLE external_transfer ADD COLUMN reported_at TEXT;
CREATE TABLE exchange_transfer_out (
  national_id BIGINT PRIMARY KEY,   -- the national node's exchange_transfer id
  asked_at TEXT NOT NULL,           -- when the national node took the request (its created_at)
  case_id BIGINT REFERENCES wf_case (id),  -- none when refused at once (no such student here)
  student_id BIGINT REFERENCES student (id),
  verdict TEXT,                     -- released (case approved), refused
  comment TEXT NOT NULL DEFAULT '',
  decided_at TEXT,
  reported_at TEXT,                 -- when the national node took the verdict
  created_at TEXT NOT NULL
);
CREATE INDEX exchange_transfer_out_case ON exchange_transfer_out (case_id);
)SQL";
}

}  // namespace nemis::db
