// What an ad hoc count measures (分析的指标): students (学生数), the classes they are in (班数:
// a school's grade and class number) and the schools they are at (有学生的学校数), each per
// group of the query's dimensions, among the students its filter admits. Counted with one
// grouping widened by school, grade and class, then collapsed: a class or school is counted
// once per group it has such students in (grouped by a student's own dimension, a class of
// boys and girls is in both), and once in the totals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "registry/student_stats.hpp"
#include "stats/filtered_counts.hpp"
#include "stats/form_definition.hpp"

namespace nemis::stats {

enum class Measure { kStudents, kClasses, kSchools };

/// "students,classes,schools" (any of them, in any order, no repeat); empty: students.
/// 400 bad_parameter naming an unknown or repeated measure.
Result<std::vector<Measure>> ParseMeasures(std::string_view text);
std::string_view MeasureName(Measure m);

struct MeasuredRow {
  std::vector<db::Value> keys;  // one per dimension of the query
  int64_t students = 0, classes = 0, schools = 0;
};

struct Measured {
  std::string org_code;
  std::vector<MeasuredRow> rows;                   // sorted by keys
  int64_t students = 0, classes = 0, schools = 0;  // each class and school once
};

/// `query`'s groups with each measure of `measures` among the students `where` admits (the
/// students always; classes and schools when asked), from `count`.
Result<Measured> CountMeasured(const registry::StatsQuery& query,
                               const std::vector<Condition>& where,
                               const std::vector<Measure>& measures, const StudentCounter& count);

}  // namespace nemis::stats
