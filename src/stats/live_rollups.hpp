// The counts of the registry as it is now, kept current by the follower so that a form of
// a province is read rather than counted. A rollup keeps, for what one counter counts
// (rollup_counters.hpp: a grouping of the students' own dimensions, or the cells of a
// students form), the counts of every school and of every region holding schools (province,
// city, county, the node); each changed student is taken out before the follower applies its
// change and put back after, and a school whose row changes what its students count as (a
// promotion, a move, its urban-rural class, ...) is counted again whole. A rollup is made by
// one pass the first time it is asked; the least recently asked is dropped beyond
// `capacity`; one with more keys than `max_entries` is not kept.
//
// StatsEngine asks under its projection's shared lock and applies under the exclusive one;
// the rollups' own mutex guards which rollups there are (a rollup is made while asked, by
// one pass under the shared lock only: other counts go on meanwhile).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "org/scope.hpp"
#include "registry/student_stats.hpp"
#include "stats/form_definition.hpp"
#include "stats/projection.hpp"
#include "stats/rollup_counters.hpp"

namespace nemis::stats {

class LiveRollups {
 public:
  /// `capacity` 0: no rollup (every count is left to the one-pass count).
  explicit LiveRollups(size_t capacity = 16, size_t max_entries = 8'000'000)
      : capacity_(capacity), max_entries_(max_entries) {}

  /// The counts of `query` under `root`, as CountUnder gives them (a school's dimensions,
  /// child, school, county, ..., from each school's counts); nullopt for a query no rollup
  /// answers (too many keys of the students' own dimensions): count it in one pass.
  std::optional<registry::StatsResult> Count(const Projection& p, const org::Subtree& root,
                                             const registry::StatsQuery& query);
  /// The cells `form` fills from the point in time's students under `root`, row by row
  /// (rows × columns; 0 in the cells it does not fill this way); nullopt for a form no
  /// rollup answers (MakeFormCounter).
  std::optional<std::vector<int64_t>> FormCells(const Projection& p, const org::Subtree& root,
                                                const FormDefinition& form);

  /// The same for each child of `root` (ChildOf) that has a student: (child's code, cells).
  std::optional<std::vector<std::pair<std::string, std::vector<int64_t>>>> FormCellsByChild(
      const Projection& p, const org::Subtree& root, const FormDefinition& form);

  /// Before `p` applies a batch of changes: takes out of every rollup the students about
  /// to change (`students`: their ids) and the schools whose students' counts the batch's
  /// institutions (`orgs`: their new rows) change.
  void BeforeApply(const Projection& p, std::span<const int64_t> students,
                   std::span<const OrgEntry> orgs);
  /// After: puts them back as they are now.
  void AfterApply(const Projection& p, std::span<const int64_t> students);

  /// Drops every rollup (the projection was replaced).
  void Clear();
  size_t MemoryBytes() const;

 private:
  // Key -> count, sorted by key; no zero counts.
  using Counts = std::vector<std::pair<uint64_t, int64_t>>;

  struct Rollup {
    std::unique_ptr<RollupCounter> counter;
    std::vector<Counts> schools;                                     // by org id
    Counts node;                                                     // every school
    std::array<std::unordered_map<std::string, Counts>, 3> regions;  // province, city, county
    uint64_t last_asked = 0;
  };
  class Keyer;

  // The rollup `name`, made by `make` (null: not kept) with one pass if there is none yet;
  // takes the rollups' lock itself, but not while making one. The caller reads it under the
  // projection's shared lock (no change is applied meanwhile), the pointer keeping it alive.
  std::shared_ptr<const Rollup> Held(const Projection& p, const std::string& name,
                                     const std::function<std::unique_ptr<RollupCounter>()>& make);
  void Refuse(const std::string& name);  // not kept: counted in one pass from now on
  std::optional<Rollup> Make(const Projection& p, std::unique_ptr<RollupCounter> counter) const;
  static const Counts* Of(const Rollup& r, const Projection& p, const org::Subtree& root);
  static std::vector<int64_t> Cells(const Counts* counts, const FormDefinition& form);
  static registry::StatsResult BySchool(const Rollup& r, const Projection& p,
                                        const org::Subtree& root,
                                        const std::vector<registry::StatsDimension>& by,
                                        const std::vector<DimensionKeys>& own_keys);
  static void Add(Counts& counts, uint64_t key, int64_t delta);
  static void AddToRegions(Rollup& r, const org::Institution& school, uint64_t key, int64_t delta);
  void AddStudents(const Projection& p, std::span<const int64_t> ids, int64_t delta);
  void RecountSchools(const Projection& p);
  static size_t Entries(const Rollup& r);

  size_t capacity_, max_entries_;
  mutable std::mutex mutex_;  // all below
  std::map<std::string, std::shared_ptr<Rollup>> rollups_;
  std::set<std::string> refused_;  // too many keys: not kept
  std::vector<bool> recounting_;   // by org id, between BeforeApply and AfterApply
  uint64_t asked_ = 0;
};

}  // namespace nemis::stats
