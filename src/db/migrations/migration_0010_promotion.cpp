// The school year a student was last promoted (or graduated) in, so that the annual
// promotion (registry/promotion.hpp) is idempotent and resumable: a run for a year touches
// only students not yet promoted in it.
#include <string_view>

namespace nemis::db {

std::string_view Migration0010Promotion() {
  return R"SQL(
ALTER TABLE student ADD COLUMN promoted_year SMALLINT NOT NULL DEFAULT 0;
)SQL";
}

}  // namespace nemis::db
