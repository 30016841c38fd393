// A statistical form (教基/基础基 报表) as data: src/stats/forms/*.json, compiled in. Rows
// and columns are conditions on the registry's statistical dimensions (registry/
// student_stats.hpp); a cell counts the students of the form's population that meet its
// row's and its column's. A line the registry cannot compute says why ("unavailable"),
// as STANDARDS.md asks for layouts and items not confirmed, rather than a made-up figure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "db/database.hpp"
#include "registry/student_stats.hpp"

namespace nemis::stats {

/// Whether a dimension's keys are integers (grade, gender, the flags); the rest are codes.
bool IsNumericDimension(registry::StatsDimension d);

/// `dimension` has one of `values` (or, `negate`, none of them).
struct Condition {
  registry::StatsDimension dimension = registry::StatsDimension::kGrade;
  std::vector<db::Value> values;
  bool negate = false;
  bool Matches(const db::Value& v) const;
};

/// A row or a column.
struct FormLine {
  std::string code, name, note;
  std::vector<Condition> where;
  std::optional<std::string> unavailable;  // why it cannot be computed
  bool graduates = false;  // the period's graduates instead of the point in time's students
  // A classes form's row: classes of this many pupils (班额), inclusive; no upper bound
  // when `max` is absent.
  std::optional<std::pair<int64_t, std::optional<int64_t>>> class_size;
  std::vector<std::string> not_applicable;  // codes of the other lines whose cells are "-"
};

/// "C7 = C9 + C10" for every row (per_row), or "R02 <= R01" for every column; a term may
/// be a number ("R10 + R11 + R12 = 0"). An error (逻辑校验) must be fixed before a form is
/// submitted; a warning (经验校验) explained.
struct FormCheck {
  std::string rule, source;
  std::string message;  // what a failure means, for people (optional)
  bool warning = false;
  bool per_row = true;
  struct Term {
    std::string code;                 // a line's code, or
    std::optional<int64_t> constant;  // a number
    bool operator==(const Term&) const = default;
  };
  std::vector<Term> left, right;  // summed on each side
  std::string op;                 // "=", "<=" or ">="
};

/// What a cell counts: students (a head count), or classes (教学班: the pupils of one
/// school, grade and class of the population; rows by class size, columns by grade).
/// ... or schools (学校数: the open schools, rows and columns on a school's own attributes).
enum class FormMeasure { kStudents, kClasses, kSchools };

struct FormDefinition {
  std::string id, title, source, unit;
  FormMeasure measure = FormMeasure::kStudents;
  std::vector<std::string> aliases;
  int point_month = 9, point_day = 1;  // the point in time of the school year
  std::vector<Condition> population;
  std::vector<FormLine> columns, rows;
  std::vector<FormCheck> checks;
};

/// Parses a form file; errors name the file's field.
Result<FormDefinition> ParseForm(std::string_view json);

/// The compiled-in forms, by id or alias (e.g. 教基3112 or 基础基312); null if none.
const FormDefinition* FindForm(std::string_view id_or_alias);
const std::vector<FormDefinition>& Forms();

}  // namespace nemis::stats
