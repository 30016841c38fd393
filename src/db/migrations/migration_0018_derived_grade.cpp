// The annual promotion as an event of the school, not a write of every student (registry/
// current_grade.hpp): a school counts the promotions it has had and remembers the year of
// the last; a student's grade is stored with the school's count it is as of (grade_mark),
// and its grade now is derived from the two. Schools take the year their students were last
// promoted in under the old model, so that year's promotion is not applied twice.
#include <string_view>

namespace nemis::db {

std::string_view Migration0018DerivedGrade() {
  return R"SQL(
ALTER TABLE org ADD COLUMN promotions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE org ADD COLUMN promoted_year SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE student ADD COLUMN grade_mark INTEGER NOT NULL DEFAULT 0;
UPDATE org SET promoted_year = COALESCE(
  (SELECT MAX(s.promoted_year) FROM student s WHERE s.school_id = org.id), 0) WHERE level = 4;
)SQL";
}

}  // namespace nemis::db
