#include "stats/form_table.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace nemis::stats {
namespace {

using registry::StatsDimension;

// Every dimension a condition of the form names, and, of students, status (the
// population's).
std::vector<StatsDimension> DimensionsOf(const FormDefinition& form) {
  std::set<StatsDimension> all;
  if (form.measure != FormMeasure::kSchools) all.insert(StatsDimension::kStatus);
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
                           const std::vector<FormCheck::Term>& terms, size_t fixed) {
  const auto& lines = check.per_row ? t.form->columns : t.form->rows;
  int64_t sum = 0;
  for (const auto& term : terms) {
    if (term.constant) {
      sum += *term.constant;
      continue;
    }
    const size_t i =
        static_cast<size_t>(std::find_if(lines.begin(), lines.end(),
                                         [&](const FormLine& l) { return l.code == term.code; }) -
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
  bool operator<(const ClassKey& o) const {
    return std::tie(school, grade, class_no) < std::tie(o.school, o.grade, o.class_no);
  }
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

Date PointInTimeOf(int month, int point_day, Date day) {
  Date point{day.year, month, point_day};
  if (day < point) point.year -= 1;
  return point;
}

Date PointInTimeOf(const FormDefinition& form, Date day) {
  return PointInTimeOf(form.point_month, form.point_day, day);
}

namespace {

FormTable EmptyTable(const FormDefinition& form, Date as_of) {
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
  return t;
}

bool HasGraduates(const FormDefinition& form) {
  return std::any_of(form.columns.begin(), form.columns.end(),
                     [](const FormLine& c) { return c.graduates; });
}

// The counts a form reads, grouped by its dimensions and `extra` (kOrg to split by child):
// the point in time's and, if the form has a graduates column, the period's.
struct FormCounts {
  registry::StatsResult point;
  std::optional<registry::StatsResult> graduates;
};

// `point`: whether to read the point in time's counts (not when its cells are at hand).
Result<FormCounts> ReadCounts(const FormDefinition& form, const FormTable& empty,
                              const FormSources& sources, std::optional<StatsDimension> extra,
                              bool point = true) {
  std::vector<StatsDimension> by =
      form.measure == FormMeasure::kClasses ? ClassDimensions(form) : DimensionsOf(form);
  if (extra) by.push_back(*extra);
  FormCounts out;
  if (form.measure == FormMeasure::kSchools) {
    if (!sources.schools) return Error::Internal("no source of school counts");
    NEMIS_ASSIGN_OR_RETURN(out.point, sources.schools(by));
    return out;
  }
  if (point) {
    NEMIS_ASSIGN_OR_RETURN(out.point, sources.point(by));
  }
  if (HasGraduates(form)) {
    std::vector<StatsDimension> graduate_by;
    for (auto d : by)
      if (d != StatsDimension::kGrade && d != StatsDimension::kStatus) graduate_by.push_back(d);
    NEMIS_ASSIGN_OR_RETURN(out.graduates,
                           sources.graduates(graduate_by, empty.period_from, empty.period_to));
  }
  return out;
}

void AddAll(const FormDefinition& form, const FormCounts& counts, FormTable& t) {
  if (form.measure == FormMeasure::kClasses)
    AddClasses(form, counts.point, t);
  else
    AddCounts(form, counts.point, false, t);
  if (counts.graduates) AddCounts(form, *counts.graduates, true, t);
}

// Adds cells counted row by row into the cells of `t` that have a value.
void AddCells(const std::vector<int64_t>& cells, FormTable& t) {
  const size_t columns = t.form->columns.size();
  for (size_t r = 0; r < t.cells.size(); ++r)
    for (size_t c = 0; c < columns; ++c)
      if (auto& value = t.cells[r][c].value) *value += cells[r * columns + c];
}

// The counted rows of each value of the last key (the child institution), without it.
std::map<std::string, registry::StatsResult> SplitByLastKey(const registry::StatsResult& r) {
  std::map<std::string, registry::StatsResult> out;
  std::vector<StatsDimension> by(r.by.begin(), r.by.end() - 1);
  for (const auto& row : r.rows) {
    const auto* code = std::get_if<std::string>(&row.keys.back());
    if (code == nullptr) continue;
    auto [it, added] = out.try_emplace(*code, registry::StatsResult{*code, by, {}, 0});
    it->second.rows.push_back({{row.keys.begin(), row.keys.end() - 1}, row.count});
    it->second.total += row.count;
  }
  return out;
}

}  // namespace

Result<FormTable> FillForm(const FormDefinition& form, const std::string& org_code, Date as_of,
                           const FormSources& sources) {
  FormTable t = EmptyTable(form, as_of);
  std::optional<FormSources::Cells> counted;
  if (sources.point_cells) {
    NEMIS_ASSIGN_OR_RETURN(counted, sources.point_cells(form));
  }
  NEMIS_ASSIGN_OR_RETURN(auto counts,
                         ReadCounts(form, t, sources, std::nullopt, /*point=*/!counted));
  t.org_code = counted ? counted->org_code : counts.point.org_code;
  if (counted) AddCells(counted->cells, t);
  AddAll(form, counts, t);
  RunChecks(t);
  return t;
}

void RunChecks(FormTable& t) {
  t.checks.clear();
  for (const auto& check : t.form->checks) t.checks.push_back(RunCheck(t, check));
}

Result<DrilledCell> CellByChild(const FormDefinition& form, size_t row, size_t column, Date as_of,
                                const FormSources& sources) {
  const FormTable empty = EmptyTable(form, as_of);
  std::optional<FormSources::CellsByChild> counted;
  if (sources.point_cells_by_child) {
    NEMIS_ASSIGN_OR_RETURN(counted, sources.point_cells_by_child(form));
  }
  NEMIS_ASSIGN_OR_RETURN(
      auto counts, ReadCounts(form, empty, sources, StatsDimension::kOrg, /*point=*/!counted));
  std::map<std::string, FormCounts> by_child;
  std::map<std::string, const std::vector<int64_t>*> cells_by_child;
  if (counted) {
    for (const auto& child : counted->children) {
      by_child[child.org_code];
      cells_by_child[child.org_code] = &child.cells;
    }
  }
  if (!counted)
    for (auto& [code, part] : SplitByLastKey(counts.point)) by_child[code].point = std::move(part);
  if (counts.graduates)
    for (auto& [code, part] : SplitByLastKey(*counts.graduates))
      by_child[code].graduates = std::move(part);
  DrilledCell out{
      counted ? counted->org_code : counts.point.org_code, empty.cells[row][column], {}};
  for (auto& [code, part] : by_child) {
    FormTable t = empty;
    if (auto cells = cells_by_child.find(code); cells != cells_by_child.end())
      AddCells(*cells->second, t);
    AddAll(form, part, t);
    const FormCell& cell = t.cells[row][column];
    if (out.cell.value && cell.value) *out.cell.value += *cell.value;
    out.children.push_back({code, cell, {}});
  }
  return out;
}

}  // namespace nemis::stats
