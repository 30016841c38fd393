// SQL is written with PostgreSQL placeholders ($1, $2, ...). SQLite reads "$1" as a
// *named* parameter numbered by first appearance, so "$2 ... $1" would bind the wrong
// values; "?NNN" is SQLite's numbered form with the same meaning as PostgreSQL's "$NNN".
#pragma once

#include <string>
#include <string_view>

namespace nemis::db::sqlite {

/// Rewrites each $N outside string literals, quoted identifiers and comments as ?N.
std::string TranslatePlaceholders(std::string_view sql);

}  // namespace nemis::db::sqlite
