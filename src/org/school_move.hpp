// A school moved under another county of its province (学校隶属关系调整): by hand, when a school
// changes district (OrgStore::MoveSchool), or with a retired division's schools
// (division_tree.hpp). The school and its students' county and city move together, each row
// written to the change log, so that the national node takes the move from the province's log.
#pragma once

#include <string_view>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"

namespace nemis::org {

/// Whether schools may hang under `inst`: a county, or a prefecture-level city without
/// counties (东莞).
bool TakesSchools(const Institution& inst);

/// Moves the school `school_id` and its students under `county` (open, TakesSchools), inside
/// the write transaction `c`.
Status MoveSchoolUnder(db::Connection& c, int64_t school_id, const Institution& county,
                       std::string_view now);

}  // namespace nemis::org
