// Signed checkpoints of the audit log. A checkpoint is the node key's SM2 signature over
// the latest entry's seq and hash (see audit_chain.hpp): anyone with database access can
// recompute an SM3 chain after editing it, but not forge the node's signature, so every
// entry up to the last checkpoint is protected, and deleting the last entries is noticed
// when a checkpoint covers them. Each checkpoint is also copied to a file outside the
// database (checkpoint_file.hpp), which someone who can only write to the database cannot
// rewind along with it. The server signs one at every start, then as soon as an entry has
// waited audit.checkpoint_interval_seconds (60) for one, or audit.checkpoint_every_entries
// (1000) wait, and at stop.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/sm2.hpp"
#include "db/database.hpp"

namespace nemis::audit {

struct CheckpointInfo {
  int64_t seq = 0;         // the entry signed
  std::string entry_hash;  // its hash, hex
  std::string signed_at;   // UTC
  std::string signature;   // SM2 DER, hex
};

class CheckpointFile;

/// Checks the entries after the last valid checkpoint (so it never signs a chain edited
/// since), then signs the latest entry and, with a `file`, appends the checkpoint there.
/// The last checkpoint of the file counts too: the log must still reach it with the same
/// hash. Errors: "audit_log_empty" (nothing to sign) and "audit_chain_broken" (naming the
/// first bad entry), both kConflict; "checkpoint_file_io" when only the copy failed (the
/// checkpoint is stored).
Result<CheckpointInfo> Checkpoint(db::Database& db, const crypto::Sm2PrivateKey& key,
                                  const Clock& clock, const CheckpointFile* file = nullptr);

/// When a checkpoint is due (MaybeCheckpoint).
struct CheckpointPolicy {
  std::chrono::seconds interval{60};  // the longest an entry waits; 0: whenever one waits
  int64_t every_entries = 1000;       // waiting entries that make one due; 0: no such rule
};

/// Signs a checkpoint when entries were appended since the last one (the last line of
/// `file` when there is a file, else the last checkpoint in the database) and the first
/// of them was logged `policy.interval` ago or `policy.every_entries` were appended;
/// returns whether it signed. When the log no longer reaches the last checkpoint, it
/// returns Checkpoint's "audit_chain_broken".
Result<bool> MaybeCheckpoint(db::Database& db, const crypto::Sm2PrivateKey& key, const Clock& clock,
                             const CheckpointPolicy& policy, const CheckpointFile* file = nullptr);

}  // namespace nemis::audit
