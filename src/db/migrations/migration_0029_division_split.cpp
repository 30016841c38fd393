// A division retired and split between several successors (撤销某县，分设两区): where each of its
// schools goes when not to the change's one successor (org/division_tree.hpp), as a JSON object
// of school code → division code.
#include <string_view>

namespace nemis::db {

std::string_view Migration0029DivisionSplit() {
  return R"SQL(
ALTER TABLE division_change ADD COLUMN school_successors TEXT NOT NULL DEFAULT '{}';
)SQL";
}

}  // namespace nemis::db
