// The annual promotions started through the API (api/promotion_runner.hpp): one row per
// run, its progress and its report, so that a run is still answered after the node
// restarts. A run the node was doing when it stopped is found 'running' by the next start
// and ends as failed (interrupted), and is shown so as soon as its heartbeat (updated_at,
// written after each batch) is old; the promotion itself is resumable.
#include <string_view>

namespace nemis::db {

std::string_view Migration0014PromotionRun() {
  return R"SQL(
CREATE TABLE promotion_run (
  id {{id}},
  org TEXT NOT NULL,                -- the subtree's code
  year INTEGER NOT NULL,
  state TEXT NOT NULL,              -- running, done, failed
  done BIGINT NOT NULL DEFAULT 0,   -- student ids gone through, of all
  total BIGINT NOT NULL DEFAULT 0,
  report TEXT,                      -- JSON: the tallies per school
  error_code TEXT,
  error_message TEXT,
  started_by TEXT NOT NULL,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,         -- the last progress written (UTC)
  finished_at TEXT
);
)SQL";
}

}  // namespace nemis::db
