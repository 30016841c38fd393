// Scope filters on problem_record, which carries the ancestor codes of both sides of a
// pair: a caller sees a finding when either student's school lies in its scope; a scan
// of a subtree retires only findings wholly inside it.
#pragma once

#include <string>

#include "db/database.hpp"
#include "db/sql_builder.hpp"
#include "org/scope.hpp"

namespace nemis::registry::quality {

enum class Sides { kEither, kBoth };

/// Appends " AND <condition>" on problem_record (alias `alias`) for `scope`.
void AddProblemScope(db::SqlBuilder& sql, const org::Scope& scope, Sides sides,
                     std::string_view alias);

/// The lowest institution over both sides of a pair: the county, city or province they
/// share, else the nation. Columns first..first+2 of `row` are one side's county, city and
/// province codes; first+3..first+5 the other side's.
std::string CommonAuthority(const db::Row& row, size_t first);

}  // namespace nemis::registry::quality
