// A subtree of the organisation tree, as a filter on the ancestor-code columns that
// every institution-owned row carries. Queries take the caller's scope so that what
// a caller may touch is enforced below the handlers; records outside it are "not found".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "db/sql_builder.hpp"
#include "org/institution.hpp"

namespace nemis::org {

/// Which table a scope filter applies to: both carry the ancestor codes; students
/// also carry school_id, institutions their own code.
enum class ScopedTable { kOrg, kStudent };

struct Scope {
  OrgLevel level = OrgLevel::kNational;
  std::string code{kNationalCode};
  int64_t id = 0;  // the institution's internal id

  /// The whole node.
  static Scope Everything() { return {}; }
  static Scope Of(const Institution& inst);

  /// Appends " AND <condition>" restricting rows of `table` (SQL alias `alias`) to
  /// this scope; nothing for the whole node. Binds this scope's code by reference.
  void AddFilter(db::SqlBuilder& sql, ScopedTable table, std::string_view alias) const;
  /// Whether an institution, by its ancestor codes, lies inside this scope.
  bool Contains(const Institution& inst) const;
};

}  // namespace nemis::org
