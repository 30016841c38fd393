// The student roster of a generated province, in the import format of
// importer/student_columns.hpp: realistic names, ethnic groups, families and flags;
// valid and unique citizen ID numbers. Deterministic for a seed, and fast: over a
// million rows a second on one core.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "gen/options.hpp"
#include "gen/schools.hpp"

namespace nemis::gen {

/// The header row: every column's Chinese name, in order, comma-separated, with "\n".
std::string StudentsCsvHeader();

/// Writes the header and each school's `students` rows (学籍号 left blank). `schools` must
/// come from GenerateSchools(options).
Status WriteStudentsCsv(const GenOptions& options, const std::vector<GenSchool>& schools,
                        std::FILE* out);

}  // namespace nemis::gen
