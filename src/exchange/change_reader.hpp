// The source side of the exchange: the next batch of this node's change log after a
// sequence, as records of the state each changed institution and student has now (so a
// record changed twice in the range crosses once, and applying a batch twice changes
// nothing). A batch ends at a sequence the log has sealed: on PostgreSQL sealing numbers
// only committed changes, in the order they became visible (db/change_log.hpp), so a
// transaction that commits late gets a later number and no reader skips it.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/batch_envelope.hpp"

namespace nemis::exchange {

/// How many change-log rows one batch covers at most.
inline constexpr int64_t kMaxBatchChanges = 100000;

struct ChangeBatch {
  int64_t after = 0;
  // Fingerprints (hex SM3 of seq, entity, internal id, operation and time) of the log's rows
  // `after` and `last`: "" for sequence 0, "none" for a sequence the log does not hold.
  std::string after_mark, last_mark;
  int64_t last = 0;     // the last sequence covered (== after when there was nothing new)
  int64_t count = 0;    // records in the payload
  int64_t head = 0;     // the log's last sealed sequence when read (the backlog is head - last)
  std::string payload;  // {"records":[...]} (change_record.hpp), institutions first
};

/// The batch's header for the node `receiver`, this node being `source`.
BatchHeader HeaderFor(const ChangeBatch& batch, std::string source, std::string receiver);

/// The changes after `after`, at most `limit` log rows (1 .. kMaxBatchChanges).
Result<ChangeBatch> ReadChanges(db::Database& db, const crypto::FieldCipher& cipher, int64_t after,
                                int64_t limit);

}  // namespace nemis::exchange
