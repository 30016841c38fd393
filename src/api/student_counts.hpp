// Student counts for a handler: from the statistics engine once it has loaded, caught up
// first so that the count holds every change committed before the request (a registrar
// sees the student just added); from the store's GROUP BY before that, or where the node
// runs without the engine (stats.engine = false). The same answers either way.
#pragma once

#include "api/api_context.hpp"
#include "registry/student_stats.hpp"

namespace nemis::api {

Result<registry::StatsResult> CountStudentsNow(ApiContext& ctx, const org::Scope& scope,
                                               const registry::StatsQuery& query);

}  // namespace nemis::api
