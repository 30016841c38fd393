// The receiving side of the exchange: a verified batch (batch_envelope.hpp) applied whole in
// one transaction with the source's checkpoint, so the checkpoint moves only when every
// record of the batch is in, and a batch is applied once however often it arrives. Batches
// must come in order: one that starts after the checkpoint leaves a gap and is refused; one
// that ends at or before it was applied already and changes nothing. A student another
// student here already holds the number or document of is kept out as a conflict (one
// person, one number); the rest of the batch applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "exchange/batch_envelope.hpp"
#include "exchange/change_record.hpp"

namespace nemis::exchange {

struct Checkpoint {
  std::string source;
  int64_t last_seq = 0;
  int64_t batches = 0, records = 0, conflicts = 0;
  std::string batch_digest, applied_at;
  std::string last_mark;  // the source's fingerprint of its change last_seq
};

struct ApplyReport {
  bool repeated = false;   // applied before: nothing was written
  int64_t records = 0;     // records written
  int64_t conflicts = 0;   // records kept out as conflicts
  int64_t superseded = 0;  // records of a registration its province gave up (not written)
  int64_t checkpoint = 0;  // the source's checkpoint after the batch
};

/// The checkpoint of `source`, if any batch of it was applied.
Result<std::optional<Checkpoint>> LoadCheckpoint(db::Connection& c, std::string_view source);

/// Forgets the checkpoint of `source`: its next batch starts from its first change again
/// (after a source was restored from an older backup; applying its whole log again is
/// harmless, records being written by natural key). False when there was none.
Result<bool> ResetCheckpoint(db::Database& db, std::string_view source);

/// A batch's records parsed from its payload and its students' personal data sealed for this
/// node's store (registry::SealPersonal): what ApplyBatch does before its transaction, done
/// apart so that the next batch is parsed and sealed while one is written.
struct ParsedBatch {
  BatchHeader header;
  std::string digest;  // the payload's, kept with the checkpoint
  std::vector<ChangeRecord> records;
};
/// "bad_batch" naming what is malformed (the record, by its index).
Result<ParsedBatch> ParseBatch(const OpenedBatch& batch, const crypto::FieldCipher& cipher);

/// ApplyBatch of a batch parsed already.
Result<ApplyReport> ApplyParsedBatch(db::Database& db, const crypto::FieldCipher& cipher,
                                     const ParsedBatch& batch,
                                     const Clock& clock = Clock::System());

/// Applies `batch` from its source (header.source, a province's code). Refusals:
/// "batch_out_of_order" (409: a gap after the checkpoint), "source_diverged" (409: the
/// source's change at the checkpoint is not the one applied: its log was restored or
/// rewritten; nothing more is applied until an operator resets the checkpoint),
/// "bad_batch" (a malformed record,
/// named), and a record's own refusal (record_outside_source, unknown_parent, unknown_school)
/// naming the record; none of them writes anything.
Result<ApplyReport> ApplyBatch(db::Database& db, const crypto::FieldCipher& cipher,
                               const OpenedBatch& batch, const Clock& clock = Clock::System());

}  // namespace nemis::exchange
