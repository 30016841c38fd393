// Fills student.g1_index, g2_index and id_check for rows sealed before migration 12 (and
// legacy rows sealed since): the only step of a scan that opens sealed records, once per
// row, found through the partial index student_quality_pending. Rows are written from
// then on with the columns filled (SealPersonal), so later scans find nothing to do.
#pragma once

#include <cstdint>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"

namespace nemis::registry::quality {

/// Backfills in batches of `batch_rows` (one transaction each: an interrupted run is run
/// again); returns how many rows it filled.
Result<int64_t> BackfillQualityColumns(db::Database& db, const crypto::FieldCipher& cipher,
                                       int64_t batch_rows = 10000);

}  // namespace nemis::registry::quality
