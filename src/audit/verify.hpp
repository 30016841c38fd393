// Verifying the audit log: walks the whole chain in seq order (a page at a time, in one
// read snapshot) and checks every checkpoint. It names the first bad entry:
//   - an entry whose hash does not match its content (modified), or whose stored hash was
//     changed;
//   - a gap in the seqs (deleted entries), entries out of place (inserted, reordered);
//   - entries before the chain's start or beyond what the head records (forged);
//   - a checkpoint whose signature fails (edited, or signed by another key) or whose hash
//     disagrees with the chain (the chain was recomputed after an edit);
//   - missing last entries that a checkpoint or the head still records.
// Limits, inherent to a keyless hash chain:
//   - Deleting the LAST entries, and rewinding the head row to match, cannot be detected
//     by the chain alone: no later entry links back to them. A signed checkpoint that
//     covers them reveals the deletion, so trailing deletions after the last checkpoint
//     go unnoticed.
//   - Likewise, someone who can write to the database can edit an entry and recompute
//     every hash after it (SM3 needs no key). A checkpoint signed at or after the edited
//     entry reveals that; an edit after the last checkpoint does not.
//   - Deleted checkpoint rows are not noticed (except the one at the purge anchor).
// Hence the short checkpoint interval, and backups of the log and of the public key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "crypto/sm2.hpp"
#include "db/database.hpp"

namespace nemis::audit {

struct VerifyReport {
  int64_t first_seq = 0;      // the chain's start (the purge anchor, 0 if none)
  int64_t last_seq = 0;       // the last entry that checked out
  int64_t entries = 0;        // entries that checked out
  int64_t checkpoints = 0;    // checkpoints whose signature and hash checked out
  std::optional<int64_t> bad_seq;  // the first bad entry
  std::string problem;        // what is wrong with it (Chinese); empty when ok
  bool ok() const { return !bad_seq.has_value(); }
};

struct VerifyOptions {
  int page_rows = 1000;  // entries (and checkpoints) read per page
};

/// Checks the whole log against the node's public key. An Error only when the store
/// fails; what is wrong with the log is in the report.
Result<VerifyReport> Verify(db::Database& db, const crypto::Sm2PublicKey& key, const VerifyOptions& options = {});

}  // namespace nemis::audit
