// Record quality (一人一籍, 问题学籍; registry/quality/): what the scan needs without opening
// sealed personal data, and where its findings are kept.
// - student.g1_index / g2_index: blind indexes of the guardians' ID numbers (the same
//   keyed hash as id_index), so that "same guardian, same child name" is an equality.
// - student.id_check: what the student's own ID number says against the record (0 fine or
//   nothing to check; bits: 1 invalid number, 2 birth date differs, 4 gender differs),
//   decided when the record is sealed. NULL: a row sealed before this migration, which
//   the scan's backfill opens once (the partial index finds them).
// - problem_record: one row per finding (a student, or a pair of students), kept across
//   scans by its finding_key so that a reviewer's decision survives a rescan.
#include <string_view>

namespace nemis::db {

std::string_view Migration0012RecordQuality() {
  return R"SQL(
ALTER TABLE student ADD COLUMN g1_index TEXT;
ALTER TABLE student ADD COLUMN g2_index TEXT;
ALTER TABLE student ADD COLUMN id_check SMALLINT;
CREATE INDEX student_quality_pending ON student (id) WHERE id_check IS NULL;
CREATE TABLE problem_record (
  id {{id}},
  finding_key TEXT NOT NULL,        -- kind:student_id[:other_id], stable across scans
  kind TEXT NOT NULL,
  student_id BIGINT NOT NULL REFERENCES student (id),
  school_id BIGINT NOT NULL,
  school_code TEXT NOT NULL,
  county_code TEXT,
  city_code TEXT,
  province_code TEXT NOT NULL,
  other_id BIGINT REFERENCES student (id),  -- the second student of a pair
  other_school_id BIGINT,
  other_school_code TEXT,
  other_county_code TEXT,
  other_city_code TEXT,
  other_province_code TEXT,
  score SMALLINT NOT NULL,          -- 0..100; rules that always hold score 100
  details TEXT NOT NULL,            -- JSON of codes and numbers, never clear personal data
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  state TEXT NOT NULL,              -- open, gone (no longer found), resolved
  resolution TEXT,                  -- confirmed, not_duplicate, merged, evidence (佐证)
  resolved_by TEXT,
  resolved_at TEXT,
  case_id BIGINT,                   -- the approval case that resolves it, when one does
  decision_reason TEXT,             -- why the decider resolved it (佐证: what shows it right)
  decision_document TEXT,           -- the evidence's document number, if any
  version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX problem_record_key ON problem_record (finding_key);
CREATE INDEX problem_record_school ON problem_record (school_id, id);
CREATE INDEX problem_record_county ON problem_record (county_code, id);
CREATE INDEX problem_record_city ON problem_record (city_code, id);
CREATE INDEX problem_record_other_school ON problem_record (other_school_id, id);
CREATE INDEX problem_record_other_county ON problem_record (other_county_code, id);
CREATE INDEX problem_record_other_city ON problem_record (other_city_code, id);
CREATE INDEX problem_record_open_student ON problem_record (student_id) WHERE state = 'open';
CREATE INDEX problem_record_open_other ON problem_record (other_id) WHERE state = 'open';
)SQL";
}

}  // namespace nemis::db
