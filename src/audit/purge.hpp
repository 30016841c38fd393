// Retention of the audit log: entries older than the retention period (at least 184
// days) may be deleted, oldest first. The last purged entry becomes the chain's anchor:
// its seq and hash go to the head row and are signed as a checkpoint by the node key, and
// that checkpoint goes to the file outside the database marked as a purge's anchor, so
// Verify starts from it and a forged anchor (hiding deleted entries) is noticed.
#pragma once

#include <chrono>
#include <cstdint>

#include "audit/audit_settings.hpp"
#include "audit/checkpoint_file.hpp"
#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/sm2.hpp"
#include "db/database.hpp"

namespace nemis::audit {

struct PurgeResult {
  int64_t purged = 0;      // entries deleted
  int64_t anchor_seq = 0;  // the chain now starts after this entry
};

/// Deletes the oldest entries, up to (not including) the first one logged at or after
/// `before`. Refuses ("audit_retention", kInvalid) a cut-off later than now minus
/// max(retention_days, 184) days, and ("audit_chain_broken", kConflict) a log that does
/// not verify, so that no evidence of tampering is purged. `logged` (the purge's own
/// audit entry) commits in the purge's transaction. With a `file`, the anchor is copied
/// there (and the log verified against it first); "checkpoint_file_io" if that fails.
Result<PurgeResult> Purge(db::Database& db, const crypto::Sm2PrivateKey& key,
                          std::chrono::system_clock::time_point before, const Clock& clock,
                          int retention_days = kMinRetentionDays,
                          db::WriteAttachment* logged = nullptr,
                          const CheckpointFile* file = nullptr);

}  // namespace nemis::audit
