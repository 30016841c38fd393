// One person, one number, for a child first registered without a document: a J or L record
// (no identity document; J numbers follow the ID's rules, L numbers are temporary) whose
// person is later registered again with a document would be a second registration. So a
// registration with a document is refused (409 temporary_record_exists) while a J or L
// record without one, alive and not merged away (status neither 11 nor 99), has the same
// name, gender and birth date in the caller's scope: the document is to be added to that record
// (a correction, which keeps its number). The refusal names the record, which the caller
// may see; a record outside the scope is not mentioned (the record-quality scan finds the
// pair and a merge links them, quality/student_merge.hpp). When the two are different
// children the registrar says so and registers anyway (RegisterOptions::not_temporary_record).
// A roster import refuses such a row the same way (FindTemporaryRecords, one query a batch).
#pragma once

#include <span>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/student.hpp"

namespace nemis::registry {

inline constexpr std::string_view kTemporaryRecordExists = "temporary_record_exists";

struct TemporaryRecordHit {
  size_t index = 0;  // into the students looked up
  Error refusal;     // 409 temporary_record_exists, field idNumber, naming the record masked
};

/// The students (those with a document) for whom such a J or L record is in `scope`: one
/// query on the partial name index per few hundred students. Records written by the import
/// `except_import` (when not 0) are left out: a resumed import judges its rows as a fresh run.
Result<std::vector<TemporaryRecordHit>> FindTemporaryRecords(
    db::Connection& c, const crypto::FieldCipher& cipher, const org::Scope& scope,
    std::span<const Student* const> students, int64_t except_import = 0);

/// 409 temporary_record_exists (field idNumber) when `s`, which has a document, matches a
/// J or L record without one in `scope`; ok otherwise (and when `s` has no document).
Status CheckNoTemporaryRecord(db::Connection& c, const crypto::FieldCipher& cipher,
                              const org::Scope& scope, const Student& s);

}  // namespace nemis::registry
