// The annual statistics submissions (stats/submission_store.hpp): one row per reporting
// unit and school year while its submission stands (submitted, approved or returned), the
// frozen snapshot with its SM3 digest, and every signature made on it. The review itself
// is a workflow case (wf_case); the unit's row names its current one. Signers' SM2 keys
// are issued and held by the node: the private key sealed with the node's field keys, the
// certificate signed by the node's statistics key.
#include <string_view>

namespace nemis::db {

std::string_view Migration0020StatsSubmission() {
  return R"SQL(
CREATE TABLE stats_submission (
  year INTEGER NOT NULL,
  org_code TEXT NOT NULL,
  state TEXT NOT NULL,            -- submitted, approved, returned
  case_id BIGINT NOT NULL,        -- the review case of the last submission
  snapshot TEXT NOT NULL,         -- canonical JSON of the forms as of the point in time
  digest TEXT NOT NULL,           -- SM3 (hex) of the snapshot with its explanations
  explanations TEXT NOT NULL,     -- JSON: warning id -> why the figure is right
  submitted_by TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at TEXT NOT NULL DEFAULT '',
  return_reason TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  PRIMARY KEY (year, org_code)
);
CREATE TABLE stats_signature (
  id {{id}},
  year INTEGER NOT NULL,
  org_code TEXT NOT NULL,
  action TEXT NOT NULL,           -- submit, approve
  account TEXT NOT NULL,
  signed_text TEXT NOT NULL,      -- canonical JSON: what was signed (names the digest)
  signature TEXT NOT NULL,        -- base64 of the DER SM2 signature
  certificate TEXT NOT NULL,      -- the signer's certificate (JSON) at the time
  at TEXT NOT NULL
);
CREATE INDEX stats_signature_unit ON stats_signature (year, org_code, id);
CREATE TABLE stats_signer (
  account TEXT PRIMARY KEY,
  private_key TEXT NOT NULL,      -- hex of the sealed PKCS#8 PEM (crypto/field_cipher.hpp)
  certificate TEXT NOT NULL,
  issued_at TEXT NOT NULL
);
)SQL";
}

}  // namespace nemis::db
