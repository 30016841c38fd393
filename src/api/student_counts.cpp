#include "api/student_counts.hpp"

#include "stats/stats_engine.hpp"

namespace nemis::api {

Result<registry::StatsResult> CountStudentsNow(ApiContext& ctx, const org::Scope& scope,
                                               const registry::StatsQuery& query) {
  stats::StatsEngine* engine = ctx.stats_engine;
  if (engine == nullptr || !engine->ready()) return registry::CountStudents(ctx.db, scope, query);
  NEMIS_TRY(engine->CatchUp());
  return engine->CountStudents(scope, query);
}

}  // namespace nemis::api
