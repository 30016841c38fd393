// Verifying the audit log: walks the whole chain in seq order (a page at a time, in one
// read snapshot) and checks every checkpoint. It names the first bad entry:
//   - an entry whose hash does not match its content (modified), or whose stored hash was
//     changed;
//   - a gap in the seqs (deleted entries), entries out of place (inserted, reordered);
//   - entries before the chain's start or beyond what the head records (forged);
//   - a checkpoint whose signature fails (edited, or signed by another key) or whose hash
//     disagrees with the chain (the chain was recomputed after an edit);
//   - missing last entries that a checkpoint or the head still records.
//   - with the checkpoint file (checkpoint_file.hpp): a line whose signature fails, a
//     checkpoint the log no longer reaches with the same hash (the chain was recomputed
//     after an edit, or rewound and written again, even when the checkpoint row was
//     deleted from the database), and a log that ends before the file's last checkpoint
//     (the last entries deleted and the head rewound).
// Limits, inherent to a keyless hash chain:
//   - Deleting the LAST entries, and rewinding the head row to match, cannot be detected
//     by the chain alone: no later entry links back to them. A signed checkpoint that
//     covers them reveals the deletion; the file's copy does so even when the database's
//     checkpoint rows were deleted too. Entries after the last checkpoint of the file
//     (at most a minute's, or audit.checkpoint_every_entries) remain unprotected.
//   - Likewise, someone who can write to the database can edit an entry and recompute
//     every hash after it (SM3 needs no key). A checkpoint signed at or after the edited
//     entry reveals that; an edit after the last checkpoint does not.
//   - Without the file, deleted checkpoint rows are not noticed (except the one at the
//     purge anchor), and neither is a rewind below them.
// A missing checkpoint file is an error when the log has entries: the node signs one at
// every start and every minute, so its absence means the wrong file (or directory) was
// given or the file was removed, and nothing then vouches that the log was not rewound
// (`nemis audit verify --db-only` checks the database alone, and says so).
// Verify only reads (it works on a store opened read-only): entries that PostgreSQL
// writes left pending, not yet sealed into the chain, are not checked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "crypto/sm2.hpp"
#include "db/database.hpp"

namespace nemis::audit {

struct VerifyReport {
  int64_t first_seq = 0;                 // the chain's start (the purge anchor, 0 if none)
  int64_t last_seq = 0;                  // the last entry that checked out
  int64_t entries = 0;                   // entries that checked out
  int64_t checkpoints = 0;               // checkpoints whose signature and hash checked out
  std::optional<int64_t> bad_seq;        // the first bad entry
  std::string problem;                   // what is wrong with it (Chinese); empty when ok
  int64_t file_checkpoints = 0;          // lines of the checkpoint file that checked out
  bool checkpoint_file_missing = false;  // a file was given and does not exist
  bool ok() const { return !bad_seq.has_value(); }
};

class CheckpointFile;

struct VerifyOptions {
  int page_rows = 1000;  // entries (and checkpoints) read per page
  // The copy of the checkpoints outside the database; null: the database alone.
  const CheckpointFile* checkpoint_file = nullptr;
};

/// Checks the whole log against the node's public key. An Error only when the store
/// fails; what is wrong with the log is in the report.
Result<VerifyReport> Verify(db::Database& db, const crypto::Sm2PublicKey& key,
                            const VerifyOptions& options = {});

}  // namespace nemis::audit
