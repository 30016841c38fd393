// The organisation tree's administrative levels as GB/T 2260 defines them: the institution of a
// division, and what a division change (codes/division_changes.hpp) does to the tree.
#pragma once

#include <string_view>

#include "base/result.hpp"
#include "codes/division_changes.hpp"
#include "db/database.hpp"
#include "org/institution.hpp"

namespace nemis::org {

/// The institution of a province, city or county: its parent is the national root, its
/// province, or — for a county — its city when `under_city`, else its province (429004 仙桃市).
Institution DivisionInstitution(std::string_view code, std::string_view name, bool under_city);

/// What a division change did to this node's tree.
struct DivisionTreeEffect {
  bool inserted = false;      // added: its institution created
  bool renamed = false;       // its institution's name changed (or reopened when re-added)
  bool closed = false;        // retired: its institution closed
  int64_t open_children = 0;  // retired, but this many open institutions still under it
};

/// Carries `change` into the tree of the node `node_code` (000000 holds every province, a
/// provincial node its own) inside the write transaction `c`, logging each institution
/// written for the exchange. A retired division's institution closes only when nothing open
/// is under it: its schools must be moved first, and stay where they are until then.
Result<DivisionTreeEffect> ApplyDivisionChangeToTree(db::Connection& c,
                                                     const codes::DivisionChange& change,
                                                     std::string_view node_code,
                                                     std::string_view now);

}  // namespace nemis::org
