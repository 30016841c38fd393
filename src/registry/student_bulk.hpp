// Bulk registration for imports: finding which documents and numbers the store
// already holds, and inserting a batch of validated students in one transaction
// (COPY on PostgreSQL), with their numbers issued and their changes logged.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"
#include "registry/student.hpp"
#include "registry/student_number.hpp"

namespace nemis::registry {

/// A student already in the store, found by document or by number.
struct RegisteredHolder {
  size_t index = 0;         // position in the queried span
  org::Institution school;  // the school holding the registered student: code, name, ancestor codes
  int64_t import_id = 0;    // the import that wrote it (0: registered otherwise)
};

/// Which of `students` have a document (type + number) or a supplied student
/// number that the store already holds.
Result<std::vector<RegisteredHolder>> FindRegistered(db::Connection& c,
                                                     const crypto::FieldCipher& cipher,
                                                     std::span<const Student* const> students);

/// Inserts the batch (ids allocated, J/L numbers issued, personal data sealed unless
/// SealPersonal already did, change log appended). Call inside a write transaction;
/// the batch commits whole or not at all.
Status InsertStudents(db::Connection& c, const crypto::FieldCipher& cipher,
                      std::span<Student* const> students, int64_t import_id, std::string_view now,
                      const NumberTaken& taken = {});

}  // namespace nemis::registry
