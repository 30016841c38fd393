#include "stats/form_output.hpp"

namespace nemis::stats {
namespace {

using Json = nlohmann::ordered_json;

Json LineJson(const FormLine& line) {
  Json j = {{"code", line.code}, {"name", line.name}};
  if (!line.note.empty()) j["note"] = line.note;
  if (line.unavailable) j["unavailable"] = *line.unavailable;
  return j;
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

}  // namespace

Json FormCellJson(const FormCell& cell) {
  if (cell.not_applicable) return "-";
  if (!cell.value) return nullptr;
  return *cell.value;
}

Json FormJson(const FormTable& t) {
  const FormDefinition& f = *t.form;
  Json columns = Json::array(), rows = Json::array(), checks = Json::array();
  for (const auto& c : f.columns) columns.push_back(LineJson(c));
  for (size_t r = 0; r < f.rows.size(); ++r) {
    Json row = LineJson(f.rows[r]);
    Json cells = Json::array();
    for (const auto& cell : t.cells[r]) cells.push_back(FormCellJson(cell));
    row["cells"] = std::move(cells);
    rows.push_back(std::move(row));
  }
  for (const auto& outcome : t.checks) {
    Json check = {{"rule", outcome.check->rule},
                  {"passed", outcome.failures.empty()},
                  {"failures", outcome.failures}};
    check["severity"] = outcome.check->warning ? "warning" : "error";
    if (!outcome.check->message.empty()) check["message"] = outcome.check->message;
    if (!outcome.check->source.empty()) check["source"] = outcome.check->source;
    checks.push_back(std::move(check));
  }
  return {{"form", f.id},
          {"aliases", f.aliases},
          {"title", f.title},
          {"unit", f.unit},
          {"measure", f.measure == FormMeasure::kClasses   ? "classes"
                      : f.measure == FormMeasure::kSchools ? "schools"
                                                           : "students"},
          {"org", t.org_code},
          {"asOf", t.as_of.ToIso()},
          {"period", {{"from", t.period_from.ToIso()}, {"to", t.period_to.ToIso()}}},
          {"source", f.source},
          {"columns", std::move(columns)},
          {"rows", std::move(rows)},
          {"checks", std::move(checks)}};
}

std::string FormCsv(const FormTable& t) {
  const FormDefinition& f = *t.form;
  std::string out = "指标名称,代码";
  for (const auto& c : f.columns) out += "," + CsvField(c.code + " " + c.name);
  out += "\n";
  for (size_t r = 0; r < f.rows.size(); ++r) {
    out += CsvField(f.rows[r].name) + "," + CsvField(f.rows[r].code);
    for (const auto& cell : t.cells[r])
      out += "," + (cell.not_applicable ? std::string("-")
                    : cell.value        ? std::to_string(*cell.value)
                                        : std::string());
    out += "\n";
  }
  return out;
}

}  // namespace nemis::stats
