// The student a case is about, read for a decision inside a write transaction: found by its
// number's blind index, its row held until the transaction ends (PostgreSQL FOR UPDATE;
// SQLite's one writer holds the whole store), so that two decisions about one student are
// taken one after the other.
#pragma once

#include <optional>
#include <string>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "registry/student.hpp"

namespace nemis::registry {

/// The case subject of a student: "student:" and its number's blind index (opaque).
std::string StudentSubject(const crypto::FieldCipher& cipher, std::string_view student_number);

/// The student of a subject StudentSubject made, locked; nullopt when there is none.
Result<std::optional<Student>> LoadSubjectForUpdate(db::Connection& c,
                                                    const crypto::FieldCipher& cipher,
                                                    std::string_view subject);

/// The student with internal id `id`, locked as above; nullopt when there is none.
Result<std::optional<Student>> LoadStudentForUpdate(db::Connection& c,
                                                    const crypto::FieldCipher& cipher, int64_t id);

}  // namespace nemis::registry
