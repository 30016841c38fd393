// Changes to the GB/T 2260 division table since the build (codes/division_changes.hpp,
// org/division_change_store.hpp): recorded on the national node, numbered by it, and kept
// under the same numbers by every province that received them, so that a province's last
// number is where it asks the national node to go on from.
#include <string_view>

namespace nemis::db {

std::string_view Migration0026DivisionChange() {
  return R"SQL(
CREATE TABLE division_change (
  seq BIGINT PRIMARY KEY,            -- the national node's number: 1, 2, 3, ... without gaps
  kind TEXT NOT NULL,                -- add, rename, retire
  code TEXT NOT NULL,                -- the division's 6-digit code
  name TEXT NOT NULL,                -- add, rename: its name from then on; retire: the name it had
  successor TEXT NOT NULL DEFAULT '',  -- retire: the division that took its area over
  effective_on TEXT NOT NULL,        -- YYYY-MM-DD, as the approval says
  reference TEXT NOT NULL,           -- the approval (批准文号)
  recorded_at TEXT NOT NULL,         -- on the national node
  received_at TEXT NOT NULL          -- on this node (the national node: when recorded)
);
CREATE INDEX division_change_code ON division_change (code);
)SQL";
}

}  // namespace nemis::db
