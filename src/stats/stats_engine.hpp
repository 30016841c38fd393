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
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "base/result.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"
#include "registry/student_stats.hpp"
#include "stats/projection.hpp"

namespace nemis::stats {

struct EngineOptions {
  std::chrono::milliseconds poll_interval{200};  // stats.poll_interval_ms
  int64_t load_batch = 100000;                   // students read per statement at the load
  int64_t change_batch = 20000;                  // change-log rows applied at once
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
  explicit StatsEngine(db::Database& db, EngineOptions options = {});
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
  EngineFigures Figures() const;

 private:
  void Follow();
  db::Database& db_;
  EngineOptions options_;
  mutable std::shared_mutex projection_mutex_;
  Projection projection_;
  std::atomic<bool> ready_{false};
  std::mutex catch_up_mutex_;  // one reader of the change log at a time
  std::mutex stop_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread follower_;
};

}  // namespace nemis::stats
