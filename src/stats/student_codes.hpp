// How a student is keyed in a count: the code of each of its own dimensions (grade now,
// gender, ethnicity, flags, ...) over the projection's columns, the key each code stands for
// (the registry SQL roll-up's value), and a tally of packed codes turned into the rows of a
// registry::StatsResult. Shared by the one-pass counts (student_counter.hpp) and the counts
// the follower keeps current (live_rollups.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"
#include "org/institution.hpp"
#include "registry/student_stats.hpp"
#include "stats/student_columns.hpp"

namespace nemis::stats {

/// Whether `d` is a school's own attribute (its child of the root, code, county,
/// urban-rural class, type) rather than a student's.
bool IsSchoolDimension(registry::StatsDimension d);

/// A school's key in school dimension `d` (IsSchoolDimension), as the one-pass count keys it:
/// for kOrg the code of the root's child it rolls up into (ChildOf, for a root of
/// `root_level`); NULL for an attribute the school does not have.
db::Value SchoolKey(registry::StatsDimension d, const org::Institution& school,
                    org::OrgLevel root_level);

/// The texts of a dictionary as keys, by code (code 0: NULL).
std::vector<db::Value> DictionaryKeys(const CodeDictionary& d);

/// A dimension as a tally decodes it: code -> key, a packed key being a number in base
/// `radix` with one digit per dimension.
struct DimensionKeys {
  registry::StatsDimension which;
  std::vector<db::Value> keys;  // code -> key
  uint64_t radix = 0;           // codes are below it
};

class StudentCodes {
 public:
  /// Reads the columns' dictionaries as they are now (codes added later are not known).
  explicit StudentCodes(const StudentColumns& s);

  /// The codes of student dimension `d` are below this, whatever the dictionaries hold
  /// later (a packed key stays valid while the projection grows).
  static uint64_t Radix(registry::StatsDimension d);
  /// The code of the student in slot `id` for student dimension `d`, its school having had
  /// `promotions` annual promotions (the grade now, registry/current_grade.hpp).
  uint64_t Code(registry::StatsDimension d, size_t id, int64_t promotions) const;
  /// The keys of student dimension `d`, radix Radix(d).
  DimensionKeys Keys(registry::StatsDimension d) const;
  /// Whether the student in `id` is counted by a query of students in school now (01).
  bool Current(size_t id) const { return current_ && s_.status[id] == *current_; }
  const StudentColumns& columns() const { return s_; }

 private:
  int GradeNow(size_t id, int64_t promotions) const;
  const StudentColumns& s_;
  std::vector<bool> in_school_;      // by status code: promoted (01 在读, 05 复学)
  std::vector<int> last_grade_;      // by stage code
  std::optional<uint32_t> current_;  // the code of status 01, if any student has it
};

/// The rows of `counts` (packed key -> count, digits in `dimensions`' order) for `root_code`:
/// sorted by key, NULL first; one row of 0 when there is no dimension and nothing counted
/// (as SQL's COUNT(*) without GROUP BY).
registry::StatsResult Tally(const std::string& root_code,
                            const std::vector<registry::StatsDimension>& by,
                            const std::vector<DimensionKeys>& dimensions,
                            const std::vector<std::pair<uint64_t, int64_t>>& counts);

}  // namespace nemis::stats
