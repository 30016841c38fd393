// The real-time statistics engine: an in-memory columnar projection of the registry
// (projection.hpp), built from the store at start and kept current from the change log
// (db/change_log.hpp), so that a committed change counts within a poll interval. Counts
// answer from memory what registry::CountStudents answers with a GROUP BY over the store.
//
// Thread safety: counts read under a shared lock; the follower applies each batch of
// changes under an exclusive one, after reading the changed rows without it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <tuple>

#include "base/date.hpp"
#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/student_stats.hpp"
#include "stats/form_table.hpp"
#include "stats/indicators.hpp"
#include "stats/live_rollups.hpp"
#include "stats/projection.hpp"
#include "stats/student_counter.hpp"

namespace nemis::stats {

struct EngineOptions {
  std::chrono::milliseconds poll_interval{200};  // stats.poll_interval_ms
  int64_t load_batch = 100000;                   // students read per statement at the load
  int load_threads = 2;                          // statements running at once at the load
  int64_t change_batch = 20000;                  // change-log rows applied at once
  size_t rollups = 16;                           // stats.rollups (0: none)
  size_t rollup_max_keys = 8'000'000;            // stats.rollup_max_keys
};

/// What the engine holds, for the log, /metrics and bench/.
struct EngineFigures {
  bool ready = false;
  int64_t students = 0;
  int64_t applied_seq = 0;
  size_t memory_bytes = 0;
};

class StatsEngine {
 public:
  /// `clock`: what "today" is for counts as of a past day.
  explicit StatsEngine(db::Database& db, EngineOptions options = {},
                       const Clock& clock = Clock::System());
  ~StatsEngine();  // stops the follower
  StatsEngine(const StatsEngine&) = delete;
  StatsEngine& operator=(const StatsEngine&) = delete;

  /// Builds the projection from the store (progress in the log), replacing any earlier.
  Status Load();
  /// Applies every change the log holds so far; returns the sequence number reached.
  Result<int64_t> CatchUp();
  /// Loads, then follows the change log every poll interval, on a thread of its own.
  void Start();
  /// Whether a load has finished (counts before it fail with store_unavailable).
  bool ready() const { return ready_.load(); }

  /// The counts registry::CountStudents gives for the same caller and query.
  Result<registry::StatsResult> CountStudents(const org::Scope& caller,
                                              const registry::StatsQuery& query) const;
  /// The same counts as of the end of a past `day` (Asia/Shanghai), from the registry's
  /// history (as_of_projection.hpp); 400 as_of_not_past for today or later. The projection
  /// of the last day asked is kept, so the forms of one point in time read it once.
  Result<registry::StatsResult> CountStudentsAsOf(const org::Scope& caller,
                                                  const registry::StatsQuery& query, Date day);
  /// `form` filled in for `org_code` (the caller's subtree if empty) as of `day`: the point
  /// in time's students as of a past day from the history, or today (or later) the
  /// registry now (once loaded); the period's graduates from the store.
  Result<FormTable> FillForm(const org::Scope& caller, const FormDefinition& form,
                             const std::string& org_code, Date day);
  /// The cell (`row`, `column` indexes of the form) of each child institution of
  /// `org_code`, as FillForm would fill it for the child (drill-down).
  Result<DrilledCell> CellByChild(const org::Scope& caller, const FormDefinition& form,
                                  const std::string& org_code, Date day, size_t row, size_t column);
  /// The students behind a student cell of `form` (`row`, `column` indexes) for `org_code`
  /// as of `day` (today: now): a page of their ids. 422 cell_not_listable for a cell that
  /// counts classes or graduates, or is not computed.
  Result<StudentIdPage> StudentsInCell(const org::Scope& caller, const FormDefinition& form,
                                       const std::string& org_code, Date day, size_t row,
                                       size_t column, size_t offset, size_t limit);
  /// Every indicator (indicators.hpp) for `org_code` at each of `points` (past days).
  Result<IndicatorTrend> Indicators(const org::Scope& caller, const std::string& org_code,
                                    const std::vector<Date>& points);
  EngineFigures Figures() const;

 private:
  FormSources SourcesFor(const org::Scope& caller, const std::string& org_code, Date day);
  // `read` of the projection now and the root `org_code` (or the caller's) under its shared
  // lock; 503 before the load, 404 for a root the caller does not reach.
  template <class T, class Read>
  Result<T> ReadNow(const org::Scope& caller, const std::string& org_code, Read read) const;
  void Follow();
  db::Database& db_;
  EngineOptions options_;
  const Clock& clock_;
  // The projection as of the end of `day` in as_of_, built unless it is there already;
  // as_of_mutex_ held.
  Status HoldAsOf(Date day);

  using CountsKey = std::tuple<std::string, std::vector<registry::StatsDimension>, bool>;
  using GraduatesKey =
      std::tuple<std::string, std::vector<registry::StatsDimension>, std::string, std::string>;

  std::mutex as_of_mutex_;  // one as-of projection built at a time
  std::optional<Date> as_of_day_;
  std::unique_ptr<const Projection> as_of_;
  std::map<CountsKey, registry::StatsResult> as_of_counts_;  // asked of as_of_ (as_of_mutex_)
  // Graduates of a period by root and grouping, kept until a change may alter them
  // (a graduation, an institution's change: TouchesGraduates).
  std::mutex graduates_mutex_;
  std::map<GraduatesKey, registry::StatsResult> graduates_;
  mutable std::shared_mutex projection_mutex_;
  Projection projection_;
  // The counts now of the groupings asked, kept current with projection_ (under its lock).
  mutable LiveRollups rollups_;
  std::atomic<bool> ready_{false};
  std::mutex catch_up_mutex_;  // one reader of the change log at a time
  std::mutex stop_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread follower_;
};

}  // namespace nemis::stats
