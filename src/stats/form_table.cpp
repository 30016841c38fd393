#include "stats/form_table.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace nemis::stats {
namespace {

using registry::StatsDimension;

// Every dimension a condition of the form names, and status (the population's).
std::vector<StatsDimension> DimensionsOf(const FormDefinition& form) {
  std::set<StatsDimension> all = {StatsDimension::kStatus};
  const auto add = [&all](const std::vector<Condition>& where) {
    for (const auto& c : where) all.insert(c.dimension);
  };
  add(form.population);
  for (const auto* lines : {&form.rows, &form.columns})
    for (const auto& line : *lines) add(line.where);
  return {all.begin(), all.end()};
}

// Whether the counted row (keys in `by`'s order) meets every condition of `where` whose
// dimension `by` holds (a graduates count has no grade or status: those conditions are
// the point in time's).
bool Meets(const std::vector<Condition>& where, const std::vector<StatsDimension>& by,
           const registry::StatsRow& row) {
  for (const auto& c : where) {
    auto at = std::find(by.begin(), by.end(), c.dimension);
    if (at != by.end() && !c.Matches(row.keys[static_cast<size_t>(at - by.begin())])) return false;
  }
  return true;
}

bool NotApplicable(const FormLine& row, const FormLine& column) {
  return std::find(row.not_applicable.begin(), row.not_applicable.end(), column.code) !=
         row.not_applicable.end();
}

// Adds the counts of `counted` into the cells of the columns `graduates` selects.
void AddCounts(const FormDefinition& form, const registry::StatsResult& counted, bool graduates,
               FormTable& table) {
  for (const auto& row : counted.rows) {
    if (!Meets(form.population, counted.by, row)) continue;
    for (size_t r = 0; r < form.rows.size(); ++r) {
      if (!Meets(form.rows[r].where, counted.by, row)) continue;
      for (size_t c = 0; c < form.columns.size(); ++c) {
        const FormLine& column = form.columns[c];
        if (column.graduates != graduates || !Meets(column.where, counted.by, row)) continue;
        FormCell& cell = table.cells[r][c];
        if (cell.value) *cell.value += row.count;
      }
    }
  }
}

// The sum of the cells of `codes` in one row (per_row) or column; nullopt if one of them
// cannot be computed or is not applicable.
std::optional<int64_t> Sum(const FormTable& t, const FormCheck& check,
                           const std::vector<std::string>& codes, size_t fixed) {
  const auto& lines = check.per_row ? t.form->columns : t.form->rows;
  int64_t sum = 0;
  for (const auto& code : codes) {
    const size_t i =
        static_cast<size_t>(std::find_if(lines.begin(), lines.end(),
                                         [&](const FormLine& l) { return l.code == code; }) -
                            lines.begin());
    const FormCell& cell = check.per_row ? t.cells[fixed][i] : t.cells[i][fixed];
    if (!cell.value || cell.not_applicable) return std::nullopt;
    sum += *cell.value;
  }
  return sum;
}

CheckOutcome RunCheck(const FormTable& t, const FormCheck& check) {
  CheckOutcome out{&check, {}};
  const auto& across = check.per_row ? t.form->rows : t.form->columns;
  for (size_t i = 0; i < across.size(); ++i) {
    auto left = Sum(t, check, check.left, i), right = Sum(t, check, check.right, i);
    if (!left || !right) continue;  // a cell that is not computed is not checked
    const bool ok = check.op == "="    ? *left == *right
                    : check.op == "<=" ? *left <= *right
                                       : *left >= *right;
    if (!ok)
      out.failures.push_back((check.per_row ? "行 " : "栏 ") + across[i].code + "：左边 " +
                             std::to_string(*left) + "，右边 " + std::to_string(*right));
  }
  return out;
}

// A class: its school, grade and class number (the keys of the classes grouping).
struct ClassKey {
  db::Value school, grade, class_no;
  auto operator<=>(const ClassKey&) const = default;
};

// The grouping a classes form reads: the population's dimensions and the class's.
std::vector<StatsDimension> ClassDimensions(const FormDefinition& form) {
  std::vector<StatsDimension> by = DimensionsOf(form);
  for (auto d : {StatsDimension::kSchool, StatsDimension::kGrade, StatsDimension::kClassNo})
    if (std::find(by.begin(), by.end(), d) == by.end()) by.push_back(d);
  return by;
}

size_t Position(const std::vector<StatsDimension>& by, StatsDimension d) {
  return static_cast<size_t>(std::find(by.begin(), by.end(), d) - by.begin());
}

// Counts each class of the population once in the cells of its size's rows and its
// grade's columns.
void AddClasses(const FormDefinition& form, const registry::StatsResult& counted, FormTable& t) {
  std::map<ClassKey, int64_t> sizes;
  const size_t school = Position(counted.by, StatsDimension::kSchool),
               grade = Position(counted.by, StatsDimension::kGrade),
               class_no = Position(counted.by, StatsDimension::kClassNo);
  for (const auto& row : counted.rows)
    if (Meets(form.population, counted.by, row))
      sizes[{row.keys[school], row.keys[grade], row.keys[class_no]}] += row.count;
  const std::vector<StatsDimension> class_by = {StatsDimension::kGrade};
  for (const auto& [key, size] : sizes) {
    const registry::StatsRow as_row{{key.grade}, size};
    for (size_t r = 0; r < form.rows.size(); ++r) {
      const auto& band = form.rows[r].class_size;
      if (band && (size < band->first || (band->second && size > *band->second))) continue;
      if (!Meets(form.rows[r].where, class_by, as_row)) continue;
      for (size_t c = 0; c < form.columns.size(); ++c) {
        FormCell& cell = t.cells[r][c];
        if (cell.value && Meets(form.columns[c].where, class_by, as_row)) ++*cell.value;
      }
    }
  }
}

}  // namespace

Date PointInTimeOf(const FormDefinition& form, Date day) {
  Date point{day.year, form.point_month, form.point_day};
  if (day < point) point.year -= 1;
  return point;
}

Result<FormTable> FillForm(const FormDefinition& form, const std::string& org_code, Date as_of,
                           const FormSources& sources) {
  FormTable t;
  t.form = &form;
  t.as_of = as_of;
  const Date point = PointInTimeOf(form, as_of);
  t.period_to = Date::FromDaysSinceEpoch(point.DaysSinceEpoch() - 1);
  t.period_from = Date{point.year - 1, form.point_month, form.point_day};
  for (const auto& row : form.rows) {
    std::vector<FormCell> cells;
    for (const auto& column : form.columns) {
      FormCell cell;
      cell.not_applicable = NotApplicable(row, column);
      if (!row.unavailable && !column.unavailable && !cell.not_applicable) cell.value = 0;
      cells.push_back(cell);
    }
    t.cells.push_back(std::move(cells));
  }
  const bool classes = form.measure == FormMeasure::kClasses;
  const std::vector<StatsDimension> by = classes ? ClassDimensions(form) : DimensionsOf(form);
  NEMIS_ASSIGN_OR_RETURN(auto point_counts, sources.point(by));
  t.org_code = point_counts.org_code;
  if (classes)
    AddClasses(form, point_counts, t);
  else
    AddCounts(form, point_counts, false, t);
  if (std::any_of(form.columns.begin(), form.columns.end(),
                  [](const FormLine& c) { return c.graduates; })) {
    std::vector<StatsDimension> graduate_by;
    for (auto d : by)
      if (d != StatsDimension::kGrade && d != StatsDimension::kStatus) graduate_by.push_back(d);
    NEMIS_ASSIGN_OR_RETURN(auto graduates,
                           sources.graduates(graduate_by, t.period_from, t.period_to));
    AddCounts(form, graduates, true, t);
  }
  for (const auto& check : form.checks) t.checks.push_back(RunCheck(t, check));
  return t;
}

}  // namespace nemis::stats
