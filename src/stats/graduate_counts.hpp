// The graduates (学籍异动 99 毕业) of a period, counted by the school they graduated from:
// the period items of the forms (毕业生数, the school year before the point in time).
#pragma once

#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/student_stats.hpp"

namespace nemis::stats {

/// Graduates from `from` to `to` (inclusive) of the schools under `root`, grouped by `by`
/// (not grade or status; the other keys as the student's record holds them).
Result<registry::StatsResult> CountGraduates(db::Database& db, const org::Subtree& root,
                                             const std::vector<registry::StatsDimension>& by,
                                             Date from, Date to);

}  // namespace nemis::stats
