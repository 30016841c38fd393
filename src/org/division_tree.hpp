// The organisation tree's administrative levels as GB/T 2260 defines them: the institution of a
// division, and what a division change (codes/division_changes.hpp) does to the tree.
#pragma once

#include <map>
#include <string>
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
  int64_t schools_moved = 0;  // retired: its schools moved to the successor
};

/// Where a retired division's schools go when not all to one successor (a county split between
/// several districts): school code → the division that takes it.
using SchoolSuccessors = std::map<std::string, std::string>;

/// Carries `change` into the tree of the node `node_code` (000000 holds every province, a
/// provincial node its own) inside the write transaction `c`, logging each institution
/// written for the exchange. A retired division's schools move, on the provincial node, each to
/// the division `school_successors` names for it or else to the change's successor (撤县设区:
/// 增城市's schools to 增城区), with their students' county and city, each logged for the
/// exchange (the national node takes the move from the province's log); its institution then
/// closes — only when nothing open is left under it: a school with no successor stays where it
/// is, and the division stays open, until it is moved.
Result<DivisionTreeEffect> ApplyDivisionChangeToTree(db::Connection& c,
                                                     const codes::DivisionChange& change,
                                                     const SchoolSuccessors& school_successors,
                                                     std::string_view node_code,
                                                     std::string_view now);

}  // namespace nemis::org
