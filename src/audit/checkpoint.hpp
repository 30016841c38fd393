// Signed checkpoints of the audit log. A checkpoint is the node key's SM2 signature over
// the latest entry's seq and hash (see audit_chain.hpp): anyone with database access can
// recompute an SM3 chain after editing it, but not forge the node's signature, so every
// entry up to the last checkpoint is protected, and deleting the last entries is noticed
// when a checkpoint covers them. The server calls MaybeCheckpoint every few minutes
// (audit.checkpoint_interval_minutes says how often a checkpoint is due).
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
  int64_t seq = 0;          // the entry signed
  std::string entry_hash;   // its hash, hex
  std::string signed_at;    // UTC
  std::string signature;    // SM2 DER, hex
};

/// Checks the entries after the last valid checkpoint (so it never signs a chain edited
/// since), then signs the latest entry. Errors: "audit_log_empty" (nothing to sign) and
/// "audit_chain_broken" (naming the first bad entry), both kConflict.
Result<CheckpointInfo> Checkpoint(db::Database& db, const crypto::Sm2PrivateKey& key, const Clock& clock);

/// Signs a checkpoint when entries were appended since the last one and the last one is
/// at least `interval` old (or there is none); returns whether it signed.
Result<bool> MaybeCheckpoint(db::Database& db, const crypto::Sm2PrivateKey& key, const Clock& clock,
                             std::chrono::minutes interval);

}  // namespace nemis::audit
