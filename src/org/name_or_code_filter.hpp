// The search box of institution lists (internal to the org module): digits are the
// beginning of a code, anything else a part of the name, matched literally.
#pragma once

#include <string>
#include <string_view>

#include "db/sql_builder.hpp"

namespace nemis::org::internal {

/// Adds to `sql` (on org aliased `o`) the condition `text` asks for, nothing for an empty
/// text. `pattern` receives the LIKE pattern and must outlive `sql` (SqlBuilder borrows).
void AddNameOrCodeFilter(db::SqlBuilder& sql, std::string_view text, std::string& pattern);

}  // namespace nemis::org::internal
