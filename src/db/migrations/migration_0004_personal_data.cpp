// Personal data leaves the student table's clear columns: citizen and guardian ID
// numbers, student numbers (a G number holds the ID), phones and addresses are sealed
// together in `personal`, and the student and document numbers are found through
// blind indexes (see registry/personal_record.hpp). Sealing needs the node's field key,
// which SQL has not: rows already in the store are copied into student_clear_legacy,
// which the node seals and drops at its next start (registry/legacy_personal.hpp).
#include <string_view>

namespace nemis::db {

std::string_view Migration0004PersonalData() {
  return R"SQL(
CREATE TABLE student_clear_legacy AS
  SELECT id, student_number, id_number, address, phone, g1_id_number, g1_phone, g2_id_number, g2_phone
  FROM student;
DROP INDEX student_number;
DROP INDEX student_id_number;
ALTER TABLE student DROP COLUMN student_number;
ALTER TABLE student DROP COLUMN id_number;
ALTER TABLE student DROP COLUMN address;
ALTER TABLE student DROP COLUMN phone;
ALTER TABLE student DROP COLUMN g1_id_number;
ALTER TABLE student DROP COLUMN g1_phone;
ALTER TABLE student DROP COLUMN g2_id_number;
ALTER TABLE student DROP COLUMN g2_phone;
-- NULL only for the legacy rows, until they are sealed.
ALTER TABLE student ADD COLUMN number_index TEXT;
ALTER TABLE student ADD COLUMN id_index TEXT;
ALTER TABLE student ADD COLUMN personal TEXT;
CREATE UNIQUE INDEX student_number ON student (number_index);
CREATE UNIQUE INDEX student_id_number ON student (id_type, id_index);
)SQL";
}

}  // namespace nemis::db
