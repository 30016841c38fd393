// The registry lifecycle's lookups: the school year a student was last promoted (or
// graduated) in, so that the annual promotion (registry/promotion.hpp) is idempotent and
// resumable (a run for a year touches only students not yet promoted in it); and the cases
// an account opened, by status, for its dashboard.
#include <string_view>

namespace nemis::db {

std::string_view Migration0010RegistryLifecycle() {
  return R"SQL(
ALTER TABLE student ADD COLUMN promoted_year SMALLINT NOT NULL DEFAULT 0;
CREATE INDEX wf_case_opener ON wf_case (opened_by, status);
)SQL";
}

}  // namespace nemis::db
