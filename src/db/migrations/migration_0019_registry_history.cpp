// The registry as it was (教育统计 "as of" a date, stats/as_of_projection.hpp): every state
// of a student's statistical facts (school, stage, grade and its mark, class, status, the
// categories the forms count) from the moment it was written (the row's updated_at, the
// node's business clock) until the next, and every promotion count of a school likewise.
// Written by triggers on student and org, so that no write path (registration, import,
// correction, transfer, status change, merge, graduation, enrolment in the next stage)
// can leave a change out of the history. A state from before this migration is known
// only as the current row: it is recorded as of the student's creation (a school's count
// as of its last update).
#include <string_view>

#include "db/migrations/migrate.hpp"
#include "db/migrations/student_history_triggers.hpp"

namespace nemis::db {
namespace {

// The columns a state holds, as the student table names them.
#define NEMIS_HISTORY_COLUMNS                                                          \
  "school_id, stage, grade, grade_mark, class_no, gender, ethnicity, left_behind, "    \
  "migrant_child, orphan, martyr_child, in_regular_class, boarding, disability_type, " \
  "hukou_type, status, birth_date, entry_date"
#define NEMIS_HISTORY_NEW                                                                 \
  "NEW.school_id, NEW.stage, NEW.grade, NEW.grade_mark, NEW.class_no, NEW.gender, "       \
  "NEW.ethnicity, NEW.left_behind, NEW.migrant_child, NEW.orphan, NEW.martyr_child, "     \
  "NEW.in_regular_class, NEW.boarding, NEW.disability_type, NEW.hukou_type, NEW.status, " \
  "NEW.birth_date, NEW.entry_date"
#define NEMIS_HISTORY_OLD                                                                 \
  "OLD.school_id, OLD.stage, OLD.grade, OLD.grade_mark, OLD.class_no, OLD.gender, "       \
  "OLD.ethnicity, OLD.left_behind, OLD.migrant_child, OLD.orphan, OLD.martyr_child, "     \
  "OLD.in_regular_class, OLD.boarding, OLD.disability_type, OLD.hukou_type, OLD.status, " \
  "OLD.birth_date, OLD.entry_date"

#define NEMIS_HISTORY_TABLES                                                                      \
  "CREATE TABLE student_history (\n"                                                              \
  "  id {{id}},\n"                                                                                \
  "  student_id BIGINT NOT NULL,\n"                                                               \
  "  valid_from TEXT NOT NULL,\n"                                                                 \
  "  school_id BIGINT NOT NULL, stage TEXT NOT NULL, grade SMALLINT NOT NULL,\n"                  \
  "  grade_mark INTEGER NOT NULL, class_no TEXT NOT NULL, gender SMALLINT NOT NULL,\n"            \
  "  ethnicity TEXT NOT NULL, left_behind SMALLINT NOT NULL, migrant_child SMALLINT NOT NULL,\n"  \
  "  orphan SMALLINT NOT NULL, martyr_child SMALLINT NOT NULL,\n"                                 \
  "  in_regular_class SMALLINT NOT NULL, boarding SMALLINT, disability_type TEXT,\n"              \
  "  hukou_type TEXT, status TEXT NOT NULL, birth_date TEXT NOT NULL, entry_date TEXT NOT NULL\n" \
  ");\n"                                                                                          \
  "CREATE INDEX student_history_student ON student_history (student_id, valid_from);\n"           \
  "CREATE TABLE org_promotion_history (\n"                                                        \
  "  id {{id}},\n"                                                                                \
  "  org_id BIGINT NOT NULL,\n"                                                                   \
  "  promotions INTEGER NOT NULL,\n"                                                              \
  "  valid_from TEXT NOT NULL\n"                                                                  \
  ");\n"                                                                                          \
  "INSERT INTO student_history (student_id, valid_from, " NEMIS_HISTORY_COLUMNS                   \
  ") SELECT id, created_at, " NEMIS_HISTORY_COLUMNS                                               \
  " FROM student;\n"                                                                              \
  "INSERT INTO org_promotion_history (org_id, promotions, valid_from) "                           \
  "SELECT id, promotions, updated_at FROM org WHERE promotions > 0;\n"

// PostgreSQL's triggers on student, a call of student_history_write() per row.
#define NEMIS_STUDENT_HISTORY_ROW_TRIGGERS                                       \
  "CREATE TRIGGER student_history_insert AFTER INSERT ON student\n"              \
  "  FOR EACH ROW EXECUTE FUNCTION student_history_write();\n"                   \
  "CREATE TRIGGER student_history_update AFTER UPDATE ON student FOR EACH ROW\n" \
  "  WHEN ((" NEMIS_HISTORY_OLD ") IS DISTINCT FROM (" NEMIS_HISTORY_NEW         \
  "))\n"                                                                         \
  "  EXECUTE FUNCTION student_history_write();\n"

constexpr std::string_view kSqlite = NEMIS_HISTORY_TABLES
    "CREATE TRIGGER student_history_insert AFTER INSERT ON student BEGIN\n"
    "  INSERT INTO student_history (student_id, valid_from, " NEMIS_HISTORY_COLUMNS
    ")\n"
    "  VALUES (NEW.id, NEW.updated_at, " NEMIS_HISTORY_NEW
    ");\n"
    "END;\n"
    "CREATE TRIGGER student_history_update AFTER UPDATE ON student\n"
    "WHEN (" NEMIS_HISTORY_OLD ") IS NOT (" NEMIS_HISTORY_NEW
    ") BEGIN\n"
    "  INSERT INTO student_history (student_id, valid_from, " NEMIS_HISTORY_COLUMNS
    ")\n"
    "  VALUES (NEW.id, NEW.updated_at, " NEMIS_HISTORY_NEW
    ");\n"
    "END;\n"
    "CREATE TRIGGER org_promotion_history_update AFTER UPDATE OF promotions ON org\n"
    "WHEN OLD.promotions IS NOT NEW.promotions BEGIN\n"
    "  INSERT INTO org_promotion_history (org_id, promotions, valid_from)\n"
    "  VALUES (NEW.id, NEW.promotions, NEW.updated_at);\n"
    "END;\n";

constexpr std::string_view kPostgres = NEMIS_HISTORY_TABLES
    "CREATE FUNCTION student_history_write() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  INSERT INTO student_history (student_id, valid_from, " NEMIS_HISTORY_COLUMNS
    ")\n"
    "  VALUES (NEW.id, NEW.updated_at, " NEMIS_HISTORY_NEW
    ");\n"
    "  RETURN NULL;\n"
    "END $$;\n" NEMIS_STUDENT_HISTORY_ROW_TRIGGERS
    "CREATE FUNCTION org_promotion_history_write() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  INSERT INTO org_promotion_history (org_id, promotions, valid_from)\n"
    "  VALUES (NEW.id, NEW.promotions, NEW.updated_at);\n"
    "  RETURN NULL;\n"
    "END $$;\n"
    "CREATE TRIGGER org_promotion_history_update AFTER UPDATE OF promotions ON org FOR EACH ROW\n"
    "  WHEN (OLD.promotions IS DISTINCT FROM NEW.promotions)\n"
    "  EXECUTE FUNCTION org_promotion_history_write();\n";

constexpr std::string_view kStudentRowTriggers = NEMIS_STUDENT_HISTORY_ROW_TRIGGERS;

#undef NEMIS_STUDENT_HISTORY_ROW_TRIGGERS
#undef NEMIS_HISTORY_TABLES
#undef NEMIS_HISTORY_OLD
#undef NEMIS_HISTORY_NEW
#undef NEMIS_HISTORY_COLUMNS

}  // namespace

std::string_view StudentHistoryRowTriggers() { return kStudentRowTriggers; }

Migration Migration0019RegistryHistory() {
  Migration portable = PortableMigration(19, "registry_history", kSqlite);
  Migration pg = PortableMigration(19, "registry_history", kPostgres);
  portable.postgres = pg.postgres;
  return portable;
}

}  // namespace nemis::db
