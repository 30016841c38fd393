// Student counts over the projection, grouped and filtered exactly as the registry's SQL
// roll-up (registry/student_stats.hpp) groups them: the same dimensions, keys and totals,
// the grade being the grade now. One pass over the columns.
#pragma once

#include <cstdint>
#include <vector>

#include "base/result.hpp"
#include "org/scope.hpp"
#include "registry/student_stats.hpp"
#include "stats/form_definition.hpp"
#include "stats/projection.hpp"

namespace nemis::stats {

/// The counts of `query` under `root` (an institution the caller may read).
Result<registry::StatsResult> CountUnder(const Projection& p, const org::Subtree& root,
                                         const registry::StatsQuery& query);

/// The open schools under `root` grouped by `by`, each dimension a school's own (kOrg,
/// kSchool, kCounty, kUrbanRural, kSchoolType; any other: 400 bad_dimension).
Result<registry::StatsResult> CountSchoolsUnder(const Projection& p, const org::Subtree& root,
                                                const std::vector<registry::StatsDimension>& by);

/// A page of the students (ids, ascending) under `root` that meet every condition of
/// `where` (of every status unless a condition names one), and how many meet them in all.
struct StudentIdPage {
  std::vector<int64_t> ids;
  int64_t total = 0;
};
Result<StudentIdPage> SelectUnder(const Projection& p, const org::Subtree& root,
                                  const std::vector<Condition>& where, size_t offset, size_t limit);

/// `query.org_code` (or the caller's single subtree) as the root of the roll-up: 404 if
/// the caller does not reach it, 400 if the caller has several subtrees and named none.
Result<org::Subtree> ResolveRoot(const Projection& p, const org::Scope& caller,
                                 const std::string& org_code);

}  // namespace nemis::stats
