// The registry's last step before a student leaves it: masking and auditing for the
// reader (student_viewer.hpp).
#pragma once

#include <span>

#include "base/date.hpp"
#include "db/database.hpp"
#include "registry/student.hpp"
#include "registry/student_viewer.hpp"

namespace nemis::registry::internal {

/// For a read: masks what `viewer` may not see of `students`, audits the rest in one entry
/// of its own transaction, and sets each student's personal_view.
void ShowTo(db::Database& db, const Clock& clock, const StudentViewer& viewer,
            std::span<Student> students);

/// For a write's answer, in two steps: AuditInWrite appends the entry for what `viewer`
/// will see whole inside the write's transaction (so the answer costs no commit of its
/// own, and a refused entry refuses the write); once it has committed, ShowAudited masks
/// the rest.
Status AuditInWrite(db::Connection& c, const Clock& clock, const StudentViewer& viewer,
                    std::span<const Student> students);
void ShowAudited(const StudentViewer& viewer, std::span<Student> students);

}  // namespace nemis::registry::internal
