// What a live rollup (live_rollups.hpp) counts: for each student, the keys it counts under.
// A grouping counts each student of the statuses asked under one key, its codes in the
// grouping's dimensions packed; a form counts it in each cell of the form whose population,
// row and column admit it (the key being the cell's index), so that a form of a province is
// its cells, read.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "registry/student_stats.hpp"
#include "stats/form_definition.hpp"
#include "stats/projection.hpp"
#include "stats/student_codes.hpp"

namespace nemis::stats {

class RollupCounter {
 public:
  virtual ~RollupCounter() = default;
  /// Appends to `keys` the keys the student in slot `id`, at `school`, counts under.
  /// `codes` reads the projection as it is now (its dictionaries may have grown since the
  /// last call).
  virtual void KeysOf(const StudentCodes& codes, size_t id, const OrgEntry& school,
                      std::vector<uint64_t>& keys) = 0;
  /// Forgets what was kept of a school (its row changed).
  virtual void ForgetSchool(int64_t /*id*/) {}
};

/// Students of every status or in school now (01), by the packed codes of `by` (a student's
/// own dimensions only); nullptr if `by` names a school's dimension or its keys do not fit
/// 64 bits.
std::unique_ptr<RollupCounter> MakeGroupingCounter(const std::vector<registry::StatsDimension>& by,
                                                   bool all_statuses);

/// The point in time's students of `form` (a students form), by cell index (row × columns +
/// column) over the cells FillForm fills from them: not a graduates column, not a cell that
/// cannot be computed or is not applicable. nullptr for a form of another measure or with a
/// condition on the child institution (kOrg), which depends on the root.
std::unique_ptr<RollupCounter> MakeFormCounter(const FormDefinition& form);

/// A grouping's packed key back into its dimensions' keys (Tally's input).
std::vector<DimensionKeys> GroupingKeys(const StudentCodes& codes,
                                        const std::vector<registry::StatsDimension>& by);

}  // namespace nemis::stats
