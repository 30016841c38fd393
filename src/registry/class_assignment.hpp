// 新学年分班: at the start of a school year a school (or its bureau) sets the classes of its
// students from a list of student numbers and classes, as it decided them. A new-year class
// is not a status change (转班级, 29, is one during the year): no history row, the change
// log only, like the promotion. The list is checked whole first: any refused row and
// nothing is written, every refusal named. A clean list is then written in transactions of
// `batch_rows` rows; a run killed part-way leaves whole batches, and the same list sent
// again finishes it (a student already in its class counts as unchanged), so the
// assignment is idempotent and resumable. A dry run checks and counts without writing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"

namespace nemis::registry {

/// Rows one list may hold: the students of a large school.
inline constexpr size_t kMaxClassAssignmentRows = 20000;

struct ClassAssignmentEntry {
  std::string student_number;
  std::string class_no;
};

struct ClassAssignmentRequest {
  std::vector<ClassAssignmentEntry> students;
  bool dry_run = false;
};

struct ClassTally {
  int64_t assigned = 0;   // moved into the class given (dry run: would be)
  int64_t unchanged = 0;  // in that class already
};

struct ClassAssignmentReport {
  bool dry_run = false;
  ClassTally total;
  std::map<std::string, ClassTally> schools;  // by school code
};

/// Sets the class of every student of the list, in `scope` (where the caller holds
/// student.update), or of none. Errors: validation_failed naming students (required,
/// too_many) or students[i].studentNumber (required, duplicate, not_found — no such
/// student in the scope —, not_in_school — only 在读 and 复学 students are placed —,
/// case_pending — an open case may move it —) or students[i].class (required, bad_class).
Result<ClassAssignmentReport> AssignClasses(db::Database& db, const crypto::FieldCipher& cipher,
                                            const Clock& clock, const org::Scope& scope,
                                            const ClassAssignmentRequest& request,
                                            size_t batch_rows = 1000);

}  // namespace nemis::registry
