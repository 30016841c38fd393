// The national student number (全国学籍号), one per person for life: G + citizen ID
// for students whose ID is valid; J (no usable ID) or L (temporary, on request)
// + 18 characters following the ID coding rules, issued from a per-node counter.
// Numbers are never reused: rows are never deleted and counters never go back.
#pragma once

#include "base/result.hpp"
#include "db/database.hpp"
#include "registry/student.hpp"

namespace nemis::registry {

/// Sets `s.student_number` (and kind) unless the client supplied one. Runs inside
/// the writing transaction so that a refused registration consumes no J/L number.
Status IssueStudentNumber(db::Connection& c, Student& s, bool temporary);

}  // namespace nemis::registry
