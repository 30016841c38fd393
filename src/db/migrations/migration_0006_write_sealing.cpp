// Writes that scale on PostgreSQL: the change-log rows and audit entries of ordinary
// writes wait in these tables, unnumbered, until a sealing step (db::SealChanges,
// audit::Seal) numbers them in the order their transactions became visible, chains the
// audit entries and moves them to change_log and audit_log. A write then holds no lock
// that every other write needs across its commit (before, each held the change_seq and
// audit_head rows until it committed, so a node committed one write at a time).
// SQLite has one writer: it numbers and chains inside the write and leaves these empty.
#include <string_view>

namespace nemis::db {

std::string_view Migration0006WriteSealing() {
  return R"SQL(
CREATE TABLE change_pending (
  id {{id}},                   -- insertion order; seq is given when sealed
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  op TEXT NOT NULL,
  changed_at TEXT NOT NULL
);
CREATE TABLE audit_pending (
  id {{id}},
  logged_at TEXT NOT NULL,
  account TEXT NOT NULL,
  roles TEXT NOT NULL,
  scope TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  request_id TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  details TEXT NOT NULL
);
)SQL";
}

}  // namespace nemis::db
