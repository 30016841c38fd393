// The registry's last step before a student leaves it: masking and auditing for the
// reader (student_viewer.hpp).
#pragma once

#include <span>

#include "base/date.hpp"
#include "db/database.hpp"
#include "registry/student.hpp"
#include "registry/student_viewer.hpp"

namespace nemis::registry::internal {

/// Masks what `viewer` may not see of `students`, audits the rest in one entry of its own
/// transaction, and sets each student's personal_view.
void ShowTo(db::Database& db, const Clock& clock, const StudentViewer& viewer,
            std::span<Student> students);

}  // namespace nemis::registry::internal
