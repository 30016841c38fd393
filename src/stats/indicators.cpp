#include "stats/indicators.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace nemis::stats {

std::string_view IndicatorsText();  // indicators_text.cpp, generated

namespace {

using Json = nlohmann::json;

Error Bad(const std::string& where, const std::string& what) {
  return Error::Invalid({{where, "bad_indicator", where + "：" + what}}, "指标定义有误：" + where);
}

// The (row, column) indexes of a cell reference, if its form has them and they can be computed.
std::optional<std::pair<size_t, size_t>> Locate(const CellRef& ref, const FormDefinition& form) {
  std::optional<size_t> row, column;
  for (size_t i = 0; i < form.rows.size(); ++i)
    if (form.rows[i].code == ref.row && !form.rows[i].unavailable) row = i;
  for (size_t i = 0; i < form.columns.size(); ++i)
    if (form.columns[i].code == ref.column && !form.columns[i].unavailable) column = i;
  if (!row || !column) return std::nullopt;
  return std::pair{*row, *column};
}

Result<std::vector<CellRef>> Cells(const Json& list, const std::string& at) {
  std::vector<CellRef> out;
  if (!list.is_array()) return Bad(at, "应为数组");
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = at + "[" + std::to_string(i) + "]";
    const std::string text = list[i].is_string() ? list[i].get<std::string>() : "";
    const size_t a = text.find(':'), b = text.rfind(':');
    if (a == std::string::npos || a == b) return Bad(where, "应为 报表:行代码:栏目代码");
    CellRef ref{text.substr(0, a), text.substr(a + 1, b - a - 1), text.substr(b + 1)};
    const FormDefinition* form = FindForm(ref.form);
    if (form == nullptr) return Bad(where, "没有报表 " + ref.form);
    if (!Locate(ref, *form)) return Bad(where, "报表中没有可计算的单元格 " + text);
    out.push_back(std::move(ref));
  }
  return out;
}

Result<std::vector<Indicator>> Parse(const Json& all) {
  if (!all.is_array()) return Bad("(文件)", "应为数组");
  std::vector<Indicator> out;
  for (size_t i = 0; i < all.size(); ++i) {
    const Json& j = all[i];
    const std::string at = "[" + std::to_string(i) + "]";
    Indicator ind;
    ind.id = j.value("id", "");
    ind.name = j.value("name", "");
    if (ind.id.empty() || ind.name.empty()) return Bad(at, "缺少 id 或 name");
    ind.unit = j.value("unit", "");
    ind.formula = j.value("formula", "");
    ind.scale = j.value("scale", 1.0);
    NEMIS_ASSIGN_OR_RETURN(ind.numerator, Cells(j.value("numerator", Json()), at + ".numerator"));
    if (ind.numerator.empty()) return Bad(at + ".numerator", "不能为空");
    if (j.contains("denominator")) {
      NEMIS_ASSIGN_OR_RETURN(ind.denominator, Cells(j["denominator"], at + ".denominator"));
    }
    out.push_back(std::move(ind));
  }
  return out;
}

// The sum of `cells` in the tables of one point (nullopt if a cell is empty).
std::optional<int64_t> Sum(const std::vector<CellRef>& cells,
                           const std::map<std::string, FormTable>& tables) {
  int64_t sum = 0;
  for (const auto& ref : cells) {
    const FormTable& t = tables.at(FindForm(ref.form)->id);
    const auto at = Locate(ref, *t.form);
    const FormCell& cell = t.cells[at->first][at->second];
    if (!cell.value) return std::nullopt;
    sum += *cell.value;
  }
  return sum;
}

}  // namespace

Result<std::vector<Indicator>> ParseIndicators(std::string_view json) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Bad("(文件)", "不是 JSON");
  try {
    return Parse(j);
  } catch (const Json::exception& e) {
    return Bad("(文件)", e.what());
  }
}

const std::vector<Indicator>& Indicators() {
  static const std::vector<Indicator> all = [] {
    auto parsed = ParseIndicators(IndicatorsText());
    // Compiled in and tested (indicators_test.cpp): a bad file is a bug.
    if (!parsed.ok())
      throw std::logic_error("bad compiled-in indicators: " + parsed.error().message);
    return std::move(*parsed);
  }();
  return all;
}

Result<IndicatorTrend> ComputeIndicators(const std::vector<Indicator>& indicators,
                                         const std::vector<Date>& points, const FormFiller& fill) {
  IndicatorTrend trend;
  std::vector<IndicatorSeries>& out = trend.series;
  for (const auto& ind : indicators) out.push_back({&ind, {}});
  for (const Date& day : points) {
    std::map<std::string, FormTable> tables;  // by form id, filled once for the day
    for (const auto& ind : indicators)
      for (const auto* side : {&ind.numerator, &ind.denominator})
        for (const auto& ref : *side) {
          const FormDefinition* form = FindForm(ref.form);
          if (tables.count(form->id)) continue;
          NEMIS_ASSIGN_OR_RETURN(auto table, fill(*form, day));
          trend.org_code = table.org_code;
          tables.emplace(form->id, std::move(table));
        }
    for (size_t i = 0; i < indicators.size(); ++i) {
      const Indicator& ind = indicators[i];
      const auto numerator = Sum(ind.numerator, tables);
      std::optional<double> value;
      if (ind.denominator.empty()) {
        if (numerator) value = static_cast<double>(*numerator) * ind.scale;
      } else if (const auto denominator = Sum(ind.denominator, tables);
                 numerator && denominator && *denominator != 0) {
        value = static_cast<double>(*numerator) * ind.scale / static_cast<double>(*denominator);
      }
      out[i].values.push_back(value);
    }
  }
  return trend;
}

}  // namespace nemis::stats
