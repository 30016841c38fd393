// Privileged account changes waiting for a second person (identity/privileged_change.hpp):
// the grant or the new password hash an approval case will apply. Kept apart from the case,
// whose details its parties read: a password hash is nobody's to read. A row lives while
// its case is open.
#include <string_view>

namespace nemis::db {

std::string_view Migration0009AccountPending() {
  return R"SQL(
CREATE TABLE account_pending (
  case_id BIGINT PRIMARY KEY REFERENCES wf_case (id),
  account_id BIGINT NOT NULL REFERENCES account (id),
  kind TEXT NOT NULL,               -- 'grant' or 'password'
  role TEXT,                        -- grant: the role and where
  org_code TEXT,
  password_hash TEXT,               -- password: the new one-time password's hash
  created_at TEXT NOT NULL
);
CREATE INDEX account_pending_account ON account_pending (account_id);
)SQL";
}

}  // namespace nemis::db
