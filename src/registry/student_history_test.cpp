// The registry's history (db/migrations 0019, and 0031 on PostgreSQL): a state for each row
// inserted, and one for each row updated whose statistical facts changed, as of the row's
// updated_at — written by the store whatever writes the rows, one or many in a statement.
#include <gtest/gtest.h>

#include "registry/student_rows.hpp"
#include "registry/year_end_testing.hpp"

namespace nemis::registry {
namespace {

using namespace year_end_testing;  // NOLINT(google-build-using-namespace)

class StudentHistoryTest : public YearEndTest {
 protected:
  int64_t States(int64_t id) {
    return Count("SELECT COUNT(*) FROM student_history WHERE student_id = $1", {id});
  }
};

TEST_P(StudentHistoryTest, AStateForEachRowWrittenWhoseFactsChanged) {
  if (backend() == db::Backend::kPostgres) {  // written per statement (migration 31)
    EXPECT_EQ(Count("SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = 'student'::regclass "
                    "AND tgname LIKE 'student_history_%' AND (tgtype & 1) = 0"),
              2);
  }
  const Student a = Enrol(1, kPrimary, 3), b = Enrol(2, kPrimary, 3), c = Enrol(3, kLiwan, 4);
  for (const Student& s : {a, b, c}) EXPECT_EQ(States(s.id), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_history h JOIN student s ON s.id = h.student_id "
                  "AND h.valid_from = s.updated_at AND h.school_id = s.school_id "
                  "AND h.grade = s.grade AND h.class_no = s.class_no AND h.status = s.status"),
            3);

  // One statement over the three: the class of two changes, the name of all three.
  const std::string later = "2026-10-01T00:00:00.000Z";
  EXPECT_EQ(Sql("UPDATE student SET class_no = CASE WHEN id = $1 THEN class_no ELSE '05' END, "
                "name = name || '甲', updated_at = $4 WHERE id IN ($1, $2, $3)",
                {a.id, b.id, c.id, later}),
            3);
  EXPECT_EQ(States(a.id), 1);
  EXPECT_EQ(States(b.id), 2);
  EXPECT_EQ(States(c.id), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_history WHERE class_no = '05' AND valid_from = $1",
                  {later}),
            2);

  // Rows written again as they were, or changed outside the facts: no state.
  EXPECT_EQ(Sql("UPDATE student SET name = name || '乙', grade = grade WHERE id IN ($1, $2)",
                {a.id, b.id}),
            2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_history"), 5);

  // Two rows inserted by one statement (copies of a and b under other keys): a state each.
  std::string columns, values;
  for (std::string_view column : internal::kStudentColumnNames) {
    const std::string name(column);
    columns += (columns.empty() ? "" : ", ") + name;
    std::string value = name == "id"                              ? "id + 1000"
                        : name == "number_index"                  ? "number_index || 'x'"
                        : name == "id_type" || name == "id_index" ? "NULL"
                                                                  : name;
    values += (values.empty() ? "" : ", ") + value;
  }
  EXPECT_EQ(Sql("INSERT INTO student (" + columns + ") SELECT " + values +
                    " FROM student WHERE id IN ($1, $2)",
                {a.id, b.id}),
            2);
  EXPECT_EQ(States(a.id + 1000), 1);
  EXPECT_EQ(States(b.id + 1000), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_history h JOIN student s ON s.id = h.student_id "
                  "AND h.valid_from = s.updated_at AND h.class_no = s.class_no "
                  "WHERE s.id > 1000"),
            2);
}

}  // namespace

NEMIS_STORE_TEST_SUITE(StudentHistoryTest);

}  // namespace nemis::registry
