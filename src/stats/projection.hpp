// The statistics projection: the organisation tree and the students, in memory, as of the
// change-log sequence number it has applied (stats_engine.hpp keeps it current).
#pragma once

#include <cstdint>

#include "stats/org_table.hpp"
#include "stats/student_columns.hpp"

namespace nemis::stats {

struct Projection {
  OrgTable orgs;
  StudentColumns students;
  int64_t applied_seq = 0;  // every change up to this one is in
};

}  // namespace nemis::stats
