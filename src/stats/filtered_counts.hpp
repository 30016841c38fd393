// Ad hoc filters on student counts (分析: dimensions × filters): "grade=1|2;gender=2;
// ethnicity!=01" keeps the students whose keys the conditions admit, whatever the
// grouping asked for. Counted by grouping over the query's dimensions and the filter's,
// then keeping and re-grouping the rows: the same for the engine, the store's SQL and a
// past day's counts.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "registry/student_stats.hpp"
#include "stats/form_definition.hpp"

namespace nemis::stats {

/// Parses a filter: conditions separated by ";", each DIMENSION=V1|V2 or DIMENSION!=V1|V2
/// (integers for the integer dimensions); 400 bad_filter naming the part that is wrong.
Result<std::vector<Condition>> ParseFilter(std::string_view text);

using StudentCounter = std::function<Result<registry::StatsResult>(const registry::StatsQuery&)>;

/// `query`'s counts of the students `where` admits, from `count`.
Result<registry::StatsResult> CountFiltered(const registry::StatsQuery& query,
                                            const std::vector<Condition>& where,
                                            const StudentCounter& count);

}  // namespace nemis::stats
