#include "importer/import_report.hpp"

#include <nlohmann/json.hpp>

namespace nemis::importer {
namespace {

std::string CsvCell(const std::string& text) {
  bool quote = text.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string_view ImportStatusId(ImportStatus status) {
  switch (status) {
    case ImportStatus::kDone:
      return "done";
    case ImportStatus::kRejected:
      return "rejected";
    case ImportStatus::kFailed:
      return "failed";
    case ImportStatus::kAlreadyImported:
      return "already_imported";
    case ImportStatus::kValidated:
      return "validated";
  }
  return "failed";
}

std::string ReportJson(const ImportReport& r) {
  using Json = nlohmann::ordered_json;
  Json errors = Json::array();
  for (const auto& e : r.errors)
    errors.push_back({{"line", e.line},
                      {"field", e.field},
                      {"column", e.column},
                      {"code", e.code},
                      {"message", e.message}});
  Json j = {{"importId", r.import_id},
            {"status", ImportStatusId(r.status)},
            {"message", r.message},
            {"encoding", r.encoding},
            {"skipInvalid", r.skip_invalid},
            {"dryRun", r.dry_run},
            {"totalRows", r.total_rows},
            {"importedRows", r.imported_rows},
            {"rejectedRows", r.rejected_rows},
            {"schoolsRegistered", r.schools_registered},
            {"resumedFromLine", r.resumed_from_line},
            {"errorCount", r.error_count},
            {"errorsTruncated", r.error_count > r.errors.size()},
            {"errors", errors},
            {"warnings", r.warnings},
            {"seconds", r.seconds}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ReportCsv(const ImportReport& r) {
  std::string out = "\xEF\xBB\xBF行号,字段,列名,错误代码,错误说明\r\n";
  for (const auto& e : r.errors) {
    out += std::to_string(e.line) + "," + CsvCell(e.field) + "," + CsvCell(e.column) + "," +
           CsvCell(e.code) + "," + CsvCell(e.message) + "\r\n";
  }
  return out;
}

}  // namespace nemis::importer
