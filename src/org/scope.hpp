// What a caller may touch: a union of subtrees of the organisation tree, applied as
// a filter on the ancestor-code columns that every institution-owned row carries.
// Queries take the caller's scope so that access is enforced below the handlers;
// records outside it are "not found". An empty scope reaches nothing (default deny).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "db/sql_builder.hpp"
#include "org/institution.hpp"

namespace nemis::org {

/// Which table a scope filter applies to: both carry the ancestor codes; students
/// also carry school_id, institutions their own code. kStudent serves every table kept
/// per school with the same columns (aid_award, staff).
enum class ScopedTable { kOrg, kStudent };

/// One institution and everything below it.
struct Subtree {
  OrgLevel level = OrgLevel::kNational;
  std::string code{kNationalCode};
  int64_t id = 0;  // the institution's internal id

  static Subtree Of(const Institution& inst) { return {inst.level, inst.code, inst.id}; }
  bool Contains(const Institution& inst) const;
  bool operator==(const Subtree& other) const { return level == other.level && code == other.code; }
};

class Scope {
 public:
  /// Reaches nothing: the scope of a caller without a grant.
  Scope() = default;
  /// The whole node.
  static Scope Everything() { return Scope(Subtree{}); }
  static Scope Of(const Institution& inst) { return Scope(Subtree::Of(inst)); }
  explicit Scope(Subtree subtree) { Add(std::move(subtree)); }

  /// Widens the scope by a subtree (a union).
  void Add(Subtree subtree);

  bool IsEverything() const;
  bool IsNothing() const { return subtrees_.empty(); }
  const std::vector<Subtree>& subtrees() const { return subtrees_; }
  /// The one subtree, when the scope is a single one (roll-ups need a root); null otherwise.
  const Subtree* Single() const { return subtrees_.size() == 1 ? &subtrees_[0] : nullptr; }

  /// Appends " AND <condition>" restricting rows of `table` (SQL alias `alias`) to
  /// this scope: nothing for the whole node, a false condition for an empty scope.
  /// Binds the subtrees' codes by reference: the scope must outlive the statement.
  void AddFilter(db::SqlBuilder& sql, ScopedTable table, std::string_view alias) const;
  /// Whether an institution, by its ancestor codes, lies inside this scope.
  bool Contains(const Institution& inst) const;

 private:
  std::vector<Subtree> subtrees_;
};

}  // namespace nemis::org
