// A student's grade now. The annual promotion does not write every student: it counts one
// more promotion for each school it reaches (org.promotions, org.promoted_year; registry/
// promotion.hpp). A student's row keeps the grade it was given and the school's count at
// that moment (student.grade_mark); a student in school (在读 01, 复学 05) has moved up one
// grade for every promotion of its school since, never past its stage's final grade (a
// final-grade student the promotion did not graduate stays there). Any other student keeps
// its stored grade (a suspended pupil is not promoted). Every write of a student's grade,
// school or status writes the grade now and the school's count with it, so the derivation
// starts again from there; the Student value read through student_rows holds both
// (Enrolment::grade, Enrolment::grade_mark).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "db/database.hpp"

namespace nemis::registry {

/// The grade now of a student stored with `grade` as of its school's `mark`-th promotion,
/// its school having had `promotions`.
int CurrentGrade(int grade, std::string_view stage, std::string_view status, int64_t mark,
                 int64_t promotions);

/// The same in SQL for the student table as `s`, `promotions` being an SQL expression of its
/// school's count (e.g. "o.promotions" when org is joined as o, or SchoolPromotionsSql()).
std::string CurrentGradeSql(std::string_view promotions);
/// "(SELECT promotions FROM org WHERE id = s.school_id)".
std::string_view SchoolPromotionsSql();
/// (CASE s.stage WHEN 'primary' THEN 6 ... END): the final grade of the student's stage.
const std::string& LastGradeSql();

/// The promotion count of each of `school_ids`, read in `c` (absent ids: 0).
Result<std::map<int64_t, int64_t>> SchoolPromotions(db::Connection& c,
                                                    std::span<const int64_t> school_ids);

}  // namespace nemis::registry
