// Scope filters on problem_record, which carries the ancestor codes of both sides of a
// pair: a caller sees a finding when either student's school lies in its scope; a scan
// of a subtree retires only findings wholly inside it.
#pragma once

#include "db/sql_builder.hpp"
#include "org/scope.hpp"

namespace nemis::registry::quality {

enum class Sides { kEither, kBoth };

/// Appends " AND <condition>" on problem_record (alias `alias`) for `scope`.
void AddProblemScope(db::SqlBuilder& sql, const org::Scope& scope, Sides sides,
                     std::string_view alias);

}  // namespace nemis::registry::quality
