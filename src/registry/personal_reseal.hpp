// After `nemis keys rotate` made a new field key generation current: every student's
// sealed personal data, and the old and new values of every correction (migration 0011),
// is opened (with whichever generation sealed it) and sealed again with the current one. The blind
// indexes do not change: rotation keeps the index key.
#pragma once

#include <cstdint>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"

namespace nemis::registry {

/// Re-seals, in batches of `batch_rows` students (one transaction each, so that an
/// interrupted run is simply run again), every record not sealed with the current key
/// generation. Returns how many it re-sealed.
Result<int64_t> ResealPersonalData(db::Database& db, const crypto::FieldCipher& cipher,
                                   int64_t batch_rows = 10000);

/// The same for the sealed values of the corrections of protected fields
/// (student_correction.hpp). Returns how many it re-sealed.
Result<int64_t> ResealCorrections(db::Database& db, const crypto::FieldCipher& cipher,
                                  int64_t batch_rows = 10000);

}  // namespace nemis::registry
