// Student counts for the public portal, which never shows a person: how many students
// a school has now (the API turns it into a band, never the exact number). Region
// statistics go through student_stats.hpp.
#pragma once

#include <cstdint>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::registry {

/// Students currently in school (status 01) at the school with this internal id.
Result<int64_t> CountStudentsInSchool(db::Database& db, int64_t school_id);

}  // namespace nemis::registry
