// One person, one number across provinces, resolved through cases on both provinces' nodes
// (exchange/conflict_cases.hpp, conflict_resolution.hpp).
// - On the national node, each conflict keeps the holder's province and number (its copy may be
//   replaced by the other registration when the conflict resolves that way), each side's
//   verdict (keep: the registration is right; yield: it is not) and the outcome.
// - On a province's node, the case it opened for each conflict reported about one of its
//   students, the verdict the case ended with and when it was reported, and the outcome.
#include <string_view>

namespace nemis::db {

std::string_view Migration0024ConflictCase() {
  return R"SQL(
ALTER TABLE exchange_conflict ADD COLUMN holder_province TEXT;
ALTER TABLE exchange_conflict ADD COLUMN holder_number_index TEXT;
ALTER TABLE exchange_conflict ADD COLUMN incoming_verdict TEXT;  -- keep, yield
ALTER TABLE exchange_conflict ADD COLUMN holder_verdict TEXT;    -- keep, yield
ALTER TABLE exchange_conflict ADD COLUMN winner TEXT;            -- the province whose registration stays
ALTER TABLE exchange_conflict ADD COLUMN resolved_at TEXT;
UPDATE exchange_conflict SET
  holder_province = (SELECT province_code FROM student WHERE student.id = exchange_conflict.holder_id),
  holder_number_index = (SELECT number_index FROM student WHERE student.id = exchange_conflict.holder_id);
CREATE INDEX exchange_conflict_holder ON exchange_conflict (holder_province, state);
CREATE INDEX exchange_conflict_person ON exchange_conflict (holder_number_index);
CREATE TABLE exchange_conflict_case (
  conflict_id BIGINT PRIMARY KEY,   -- the national node's exchange_conflict id
  case_id BIGINT NOT NULL REFERENCES wf_case (id),
  student_id BIGINT NOT NULL REFERENCES student (id),
  state TEXT NOT NULL,              -- open; closed (no longer reported); resolved
  verdict TEXT,                     -- keep (case approved), yield (case rejected)
  verdict_at TEXT,
  reported_at TEXT,                 -- when the national node took the verdict
  outcome TEXT,                     -- kept, yielded (the registration ended here)
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX exchange_conflict_case_case ON exchange_conflict_case (case_id);
)SQL";
}

}  // namespace nemis::db
