#include "org/school_move.hpp"

#include <vector>

#include "codes/division.hpp"
#include "db/change_log.hpp"

namespace nemis::org {
namespace {

constexpr std::string_view kMoveSchool =
    "UPDATE org SET parent_code = $1, city_code = $2, county_code = $3, version = version + 1, "
    "updated_at = $4 WHERE id = $5";
constexpr std::string_view kStudentsOf = "SELECT id FROM student WHERE school_id = $1 ORDER BY id";
constexpr std::string_view kMoveStudents =
    "UPDATE student SET city_code = $1, county_code = $2, version = version + 1, updated_at = $3 "
    "WHERE school_id = $4";

}  // namespace

bool TakesSchools(const Institution& inst) {
  return inst.level == OrgLevel::kCounty ||
         (inst.level == OrgLevel::kCity && codes::ChildDivisions(inst.code).empty());
}

Status MoveSchoolUnder(db::Connection& c, int64_t school_id, const Institution& county,
                       std::string_view now) {
  NEMIS_TRY(
      c.Query(kMoveSchool, {county.code, county.city_code, county.county_code, now, school_id}));
  const int64_t org_ids[] = {school_id};
  NEMIS_TRY(db::AppendChanges(c, "org", db::ChangeOp::kUpdate, org_ids, now));
  NEMIS_ASSIGN_OR_RETURN(auto students, c.Query(kStudentsOf, {school_id}));
  if (students.rows.empty()) return {};
  NEMIS_TRY(c.Query(kMoveStudents, {county.city_code, county.county_code, now, school_id}));
  std::vector<int64_t> student_ids;
  student_ids.reserve(students.rows.size());
  for (const db::Row& r : students.rows) student_ids.push_back(r.Int(0));
  return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, student_ids, now);
}

}  // namespace nemis::org
