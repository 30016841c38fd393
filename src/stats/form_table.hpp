// A statistical form filled in for an institution or a region as of a point in time (a
// region's form is the sum of its schools', as every count rolls up): the cells, and the
// form's cross-checks with the cells that fail them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "registry/student_stats.hpp"
#include "stats/form_definition.hpp"

namespace nemis::stats {

struct FormCell {
  std::optional<int64_t> value;  // nullopt: the line cannot be computed (FormLine::unavailable)
  bool not_applicable = false;   // "-" (e.g. #女 of the #女 row)
};

struct CheckOutcome {
  const FormCheck* check = nullptr;
  std::vector<std::string> failures;  // "行 01：C2 = 5，C9 = 6"
};

struct FormTable {
  const FormDefinition* form = nullptr;
  std::string org_code;
  Date as_of;                                // the point in time
  Date period_from, period_to;               // the school year before it (graduates)
  std::vector<std::vector<FormCell>> cells;  // [row][column]
  std::vector<CheckOutcome> checks;
};

/// Where the counts come from: the point in time's students of every status grouped by
/// `by`, and the period's graduates grouped likewise.
struct FormSources {
  std::function<Result<registry::StatsResult>(const std::vector<registry::StatsDimension>& by)>
      point;
  std::function<Result<registry::StatsResult>(const std::vector<registry::StatsDimension>& by,
                                              Date from, Date to)>
      graduates;
  /// The open schools grouped by `by` (a schools form).
  std::function<Result<registry::StatsResult>(const std::vector<registry::StatsDimension>& by)>
      schools;
  /// Optional: the cells a students form fills from the point in time's students, already
  /// counted (row by row; live_rollups.hpp), with the root's code; nullopt to count `point`.
  struct Cells {
    std::string org_code;
    std::vector<int64_t> cells;
  };
  std::function<Result<std::optional<Cells>>(const FormDefinition& form)> point_cells;
  /// Optional: the same for each child of the root (drill-down), with the root's code.
  struct CellsByChild {
    std::string org_code;
    std::vector<Cells> children;  // each with the child's code
  };
  std::function<Result<std::optional<CellsByChild>>(const FormDefinition& form)>
      point_cells_by_child;
};

/// The statistical point in time of a school year (STANDARDS.md: 1 September).
inline constexpr int kPointMonth = 9, kPointDay = 1;

/// The last point in time (`month`-`point_day` of a year) on or before `day`.
Date PointInTimeOf(int month, int point_day, Date day);
/// The same for a form's point in time.
Date PointInTimeOf(const FormDefinition& form, Date day);

/// Fills `form` in for `org_code` as of `as_of` (a point in time: its period is the school
/// year that ended the day before).
Result<FormTable> FillForm(const FormDefinition& form, const std::string& org_code, Date as_of,
                           const FormSources& sources);

/// Runs the form's cross-checks over the cells of `t` (again), e.g. on a region's form
/// summed from its units' frozen submissions.
void RunChecks(FormTable& t);

/// One child institution's value of a cell (drill-down to the next level).
struct ChildCell {
  std::string org_code;
  FormCell cell;
  std::string name;  // the institution's, where the caller of CellByChild knows it
};

/// A cell of the root and of each of its children.
struct DrilledCell {
  std::string org_code;  // the root
  FormCell cell;         // the root's: the children's sum (each school is under one child)
  std::vector<ChildCell> children;
};

/// The cell (`row`, `column` indexes) for each child of the root the sources count under,
/// from the same counts grouped by child as well (registry::StatsDimension::kOrg): a school
/// for a county, a county for a city, ...; children without a student are not listed.
Result<DrilledCell> CellByChild(const FormDefinition& form, size_t row, size_t column, Date as_of,
                                const FormSources& sources);

}  // namespace nemis::stats
