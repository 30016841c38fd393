#include "roster_files.hpp"

#include "process.hpp"

namespace nemis::it {

std::vector<std::string> RosterCells(const School& school, const std::string& name,
                                     const IdSource::Person& p, const std::string& address) {
  return {name,         std::to_string(p.gender),
          p.birth_date, "01",
          p.id_number,  school.code,
          "3",          "1",
          "2023-09",    "监护人",
          "1",          address};
}

std::string RosterRow(const School& school, const std::string& name, const IdSource::Person& p,
                      const std::string& address) {
  return CsvLine(RosterCells(school, name, p, address));
}

std::vector<ErrorKey> ErrorKeys(const nlohmann::json& report) {
  std::vector<ErrorKey> keys;
  if (!report.is_object() || !report.contains("errors")) return keys;
  for (const auto& e : report["errors"])
    keys.emplace_back(e.value("line", uint64_t{0}), e.value("field", ""), e.value("column", ""),
                      e.value("code", ""));
  return keys;
}

std::vector<LineFieldCode> LineFieldCodes(const nlohmann::json& report) {
  std::vector<LineFieldCode> keys;
  for (const auto& [line, field, column, code] : ErrorKeys(report))
    keys.emplace_back(line, field, code);
  return keys;
}

nlohmann::json ReadReport(const std::string& path) {
  auto j = nlohmann::json::parse(ReadFile(path), nullptr, false);
  return j.is_discarded() ? nlohmann::json() : j;
}

}  // namespace nemis::it
