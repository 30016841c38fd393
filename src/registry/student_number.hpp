// The national student number (全国学籍号), one per person for life: G + citizen ID
// for students whose ID is valid; J (no usable ID) or L (temporary, on request)
// + 18 characters following the ID coding rules, issued from a per-node counter.
// Numbers are never reused: rows are never deleted and counters never go back.
#pragma once

#include <functional>
#include <string_view>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "registry/student.hpp"

namespace nemis::registry {

/// Whether a student number is held already. By default the store is asked (through the
/// blind index); a first load, which has the number index dropped, asks what it knows.
using NumberTaken = std::function<Result<bool>(db::Connection& c, std::string_view number)>;

/// Sets `s.student_number` (and kind) unless the client supplied one. Runs inside
/// the writing transaction so that a refused registration consumes no J/L number. A supplied
/// L number this node has retired (converted to G, student_former_number) is refused:
/// 409 number_retired.
Status IssueStudentNumber(db::Connection& c, const crypto::FieldCipher& cipher, Student& s,
                          bool temporary, const NumberTaken& taken = {});

/// Gives a student with a citizen ID and no number its G number (G + the ID); returns
/// whether it did. Needs no store, so an import does it on its worker threads.
bool AssignGNumber(Student& s);

}  // namespace nemis::registry
