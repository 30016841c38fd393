// What an import tells its user: counts, every rejected row with line, column and
// reason, and where it resumed. Rendered as JSON (API, `--report x.json`) and CSV
// (for Excel: UTF-8 with BOM).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nemis::importer {

struct RowError {
  uint64_t line = 0;    // physical line in the file (the header is line 1); 0: the whole file
  std::string field;    // API field name, e.g. "idNumber"; empty for row-level problems
  std::string column;   // the column's header text as written in the file
  std::string code;     // stable code, e.g. "bad_check_digit"
  std::string message;  // Chinese explanation
};

enum class ImportStatus {
  kDone,             // every valid row is in the store
  kRejected,         // strict mode found invalid rows: nothing was written
  kFailed,           // the file could not be read (encoding, header, quote) or the store failed
  kAlreadyImported,  // this file (same content) was imported before: nothing to do
  kValidated,        // a dry run: every row would be imported (or skipped as reported)
};

std::string_view ImportStatusId(ImportStatus status);

struct ImportReport {
  int64_t import_id = 0;
  ImportStatus status = ImportStatus::kDone;
  std::string message;   // summary or the file-level error
  std::string encoding;  // detected encoding
  bool skip_invalid = false;
  bool dry_run = false;        // validated only: nothing was written
  uint64_t total_rows = 0;     // data rows in the file (blank rows not counted)
  uint64_t imported_rows = 0;  // written by this import (all runs of it)
  uint64_t rejected_rows = 0;
  uint64_t schools_registered = 0;
  uint64_t resumed_from_line = 0;     // >0 when this run continued an interrupted one
  uint64_t error_count = 0;           // all errors found (errors may hold fewer)
  std::vector<RowError> errors;       // the first import.max_errors, by line
  std::vector<std::string> warnings;  // e.g. unknown columns that were ignored
  double seconds = 0;

  /// Whether any row was rejected or the import did not complete (non-zero exit).
  bool Failed() const {
    return status == ImportStatus::kRejected || status == ImportStatus::kFailed ||
           rejected_rows > 0;
  }
};

std::string ReportJson(const ImportReport& report);
/// 行号,字段,列名,错误代码,错误说明 — UTF-8 with BOM so that Excel opens it correctly.
std::string ReportCsv(const ImportReport& report);

}  // namespace nemis::importer
