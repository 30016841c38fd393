// The registry's history (migration 19) on PostgreSQL written once per statement, from the
// statement's transition tables, instead of by a PL/pgSQL call per row: on a bulk write (an
// import, a national node applying a province's batch, a promotion) the row trigger cost
// about a third of each insert (20,000 inserts: 1.1–1.7 s with it, 0.75 s per statement,
// 0.73 s with none). What is written does not change: a state per row inserted, and one per
// row updated whose statistical facts changed, as of the row's updated_at. SQLite keeps its
// row triggers (it has no statement triggers); so does a national node partitioned by province
// (exchange/student_partitions.hpp), whose foreign partitions cannot feed transition tables
// (db/migrations/student_history_triggers.hpp).
#include <string_view>

#include "db/migrations/migrate.hpp"

namespace nemis::db {
namespace {

#define NEMIS_HISTORY_FACTS(row)                                                                \
  row "school_id, " row "stage, " row "grade, " row "grade_mark, " row "class_no, " row         \
      "gender, " row "ethnicity, " row "left_behind, " row "migrant_child, " row "orphan, " row \
      "martyr_child, " row "in_regular_class, " row "boarding, " row "disability_type, " row    \
      "hukou_type, " row "status, " row "birth_date, " row "entry_date"

// The row triggers stay where `student` is partitioned already (its foreign partitions could
// not feed transition tables): student_history_write() stays for them.
constexpr std::string_view kPostgres =
    "CREATE FUNCTION student_history_inserted() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  INSERT INTO student_history (student_id, valid_from, " NEMIS_HISTORY_FACTS("") ")\n"
    "  SELECT id, updated_at, " NEMIS_HISTORY_FACTS("") " FROM inserted;\n"
    "  RETURN NULL;\n"
    "END $$;\n"
    "CREATE FUNCTION student_history_updated() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "  INSERT INTO student_history (student_id, valid_from, " NEMIS_HISTORY_FACTS("") ")\n"
    "  SELECT n.id, n.updated_at, " NEMIS_HISTORY_FACTS("n.") "\n"
    "  FROM after_update n JOIN before_update o ON o.id = n.id\n"
    "  WHERE (" NEMIS_HISTORY_FACTS("o.") ") IS DISTINCT FROM (" NEMIS_HISTORY_FACTS("n.") ");\n"
    "  RETURN NULL;\n"
    "END $$;\n"
    "DO $do$ BEGIN\n"
    "  IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'student'::regclass)\n"
    "  THEN\n"
    "    DROP TRIGGER student_history_insert ON student;\n"
    "    DROP TRIGGER student_history_update ON student;\n"
    "    CREATE TRIGGER student_history_insert AFTER INSERT ON student\n"
    "      REFERENCING NEW TABLE AS inserted\n"
    "      FOR EACH STATEMENT EXECUTE FUNCTION student_history_inserted();\n"
    "    CREATE TRIGGER student_history_update AFTER UPDATE ON student\n"
    "      REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update\n"
    "      FOR EACH STATEMENT EXECUTE FUNCTION student_history_updated();\n"
    "  END IF;\n"
    "END $do$;\n";

#undef NEMIS_HISTORY_FACTS

}  // namespace

Migration Migration0031HistoryPerStatement() {
  return {31, "history_per_statement", "SELECT 1;", std::string(kPostgres)};
}

}  // namespace nemis::db
