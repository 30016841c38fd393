// Indicators (教育决策支持): figures defined as data (indicators/indicators.json, compiled in)
// over cells of the statistical forms — a sum of cells, or a ratio of two sums scaled (a
// share in %) — each with its formula in words for the user, and their trend across the
// yearly points in time (1 September).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "stats/form_table.hpp"

namespace nemis::stats {

/// A form's cell: "教基3112:06:7" is row 06, column 7 of 教基3112.
struct CellRef {
  std::string form, row, column;
};

struct Indicator {
  std::string id, name, unit, formula;
  std::vector<CellRef> numerator, denominator;  // no denominator: the numerator's sum
  double scale = 1;
};

/// Parses an indicator file; every cell must name a computable cell of a compiled-in form.
Result<std::vector<Indicator>> ParseIndicators(std::string_view json);
/// The compiled-in indicators.
const std::vector<Indicator>& Indicators();

struct IndicatorSeries {
  const Indicator* indicator = nullptr;
  std::vector<std::optional<double>> values;  // one per point; nullopt: a zero denominator
};

/// Fills a form as of a day (for an institution the caller chose).
using FormFiller = std::function<Result<FormTable>(const FormDefinition&, Date)>;

struct IndicatorTrend {
  std::string org_code;  // the institution the forms were filled for
  std::vector<IndicatorSeries> series;
};

/// Every indicator at each of `points`, each form filled once per point.
Result<IndicatorTrend> ComputeIndicators(const std::vector<Indicator>& indicators,
                                         const std::vector<Date>& points, const FormFiller& fill);

}  // namespace nemis::stats
