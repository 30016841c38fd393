// Open approval cases about a student past their deadline (wf_case.due_on, a business
// date in China): one overdue_case finding per case, filed under the student's school.
#pragma once

#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/quality/finding.hpp"
#include "registry/quality/scan_source.hpp"

namespace nemis::registry::quality {

/// Appends the findings to `data.findings` (and their schools to `data.schools`).
Status FindOverdueCases(db::Database& db, const org::Scope& where, const Date& today,
                        ScanData& data);

}  // namespace nemis::registry::quality
