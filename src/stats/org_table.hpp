// The statistics projection's copy of the organisation tree: every institution with its
// ancestor codes and, for schools, the count of annual promotions their students' grades
// are derived from (registry/current_grade.hpp). A few thousand rows per province: kept
// whole, replaced row by row as the change log names them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "org/institution.hpp"
#include "org/scope.hpp"

namespace nemis::stats {

struct OrgEntry {
  org::Institution institution;
  int64_t promotions = 0;  // schools: org.promotions
};

/// The child of a root of `root_level` that `school` rolls up into, as the registry's SQL
/// roll-up groups it (registry/student_stats.cpp): a province's city, or its county or the
/// school itself when it has no city (no county); a city's county; ... Its id is not set.
org::Subtree ChildOf(const org::Institution& school, org::OrgLevel root_level);

class OrgTable {
 public:
  /// Adds or replaces the institution of `entry.institution.id`.
  void Put(OrgEntry entry);
  const OrgEntry* ById(int64_t id) const;
  const OrgEntry* ByCode(std::string_view code) const;
  /// The largest id + 1: ids below it may name an institution.
  int64_t IdLimit() const { return static_cast<int64_t>(by_id_.size()); }
  size_t MemoryBytes() const;

 private:
  std::vector<std::optional<OrgEntry>> by_id_;
  std::unordered_map<std::string, int64_t> id_of_code_;
};

}  // namespace nemis::stats
