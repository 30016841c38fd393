// What the statistics projection reads from the store: institutions and students, whole
// or by the ids the change log names. The SQL is the same on both back ends.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "stats/org_table.hpp"
#include "stats/student_columns.hpp"

namespace nemis::stats {

/// The institutions of `ids` (empty: all of them).
Result<std::vector<OrgEntry>> ReadOrgs(db::Connection& c, std::span<const int64_t> ids = {});
/// Institutions, or states of institutions, from `sql`, whose columns are an institution
/// read's (kOrgSelect in projection_reader.cpp: id, code, level, parent, name, ...).
Result<std::vector<OrgEntry>> ReadOrgStates(db::Connection& c, std::string_view sql,
                                            const std::vector<db::Param>& params);
/// Students, or states of students, from `sql`, whose columns are a student read's (the
/// student's id first, then as kStudentSelect in projection_reader.cpp).
Result<std::vector<StudentFacts>> ReadStudentStates(db::Connection& c, std::string_view sql,
                                                    const std::vector<db::Param>& params);
/// The students with ids in (after, upto].
Result<std::vector<StudentFacts>> ReadStudentRange(db::Connection& c, int64_t after, int64_t upto);
/// The students of `ids` (at most a few thousand: one statement).
Result<std::vector<StudentFacts>> ReadStudents(db::Connection& c, std::span<const int64_t> ids);
/// The largest student id (0 for none).
Result<int64_t> MaxStudentId(db::Connection& c);

}  // namespace nemis::stats
