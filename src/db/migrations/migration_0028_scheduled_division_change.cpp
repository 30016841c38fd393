// Division changes recorded ahead of the day they take effect (org/division_change_store.hpp):
// a node holds them from the day they are recorded and lays them over its table and its tree
// on their day. applied_at is when this node did; NULL while the change is scheduled. The
// changes held before were applied when received.
#include <string_view>

namespace nemis::db {

std::string_view Migration0028ScheduledDivisionChange() {
  return R"SQL(
ALTER TABLE division_change ADD COLUMN applied_at TEXT;
UPDATE division_change SET applied_at = received_at;
)SQL";
}

}  // namespace nemis::db
