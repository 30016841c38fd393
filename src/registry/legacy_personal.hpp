// The data step of migration 4 (db/migrations/migration_0004_personal_data.cpp): seals
// the personal data of the students stored before it, which the migration set aside in
// student_clear_legacy, then drops that table. SQL alone cannot do it: sealing needs the
// node's field key. Run at every start after the migrations; nothing to do once done.
#pragma once

#include <cstdint>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"

namespace nemis::registry {

/// Whether student_clear_legacy still exists (students whose personal data is not sealed yet).
Result<bool> HasLegacyPersonalData(db::Database& db);

/// Seals the legacy rows in batches of `batch_rows` (each batch commits with the removal of
/// its clear copies, so an interrupted run resumes), then drops the table. Returns the
/// number of students sealed.
Result<int64_t> SealLegacyPersonalData(db::Database& db, const crypto::FieldCipher& cipher,
                                       int64_t batch_rows = 10000);

}  // namespace nemis::registry
