// The import_job table: one row per imported file (by content), holding the
// resume point that each committed batch advances in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "db/database.hpp"
#include "importer/csv_record.hpp"

namespace nemis::importer {

struct ImportJob {
  int64_t id = 0;
  bool done = false;
  uint64_t total_rows = 0, imported_rows = 0, rejected_rows = 0;
  CsvPosition resume;  // where the next uncommitted batch starts
};

Result<std::optional<ImportJob>> FindImportJob(db::Connection& c, std::string_view kind,
                                               std::string_view fingerprint, bool skip_invalid);
Result<std::optional<ImportJob>> LoadImportJob(db::Connection& c, int64_t id);
Result<ImportJob> CreateImportJob(db::Connection& c, std::string_view kind,
                                  std::string_view fingerprint, bool skip_invalid,
                                  uint64_t total_rows, uint64_t rejected_rows,
                                  std::string_view now);
/// Advances the job after a batch: call in the batch's transaction.
Status AdvanceImportJob(db::Connection& c, int64_t id, uint64_t imported, uint64_t rejected,
                        const CsvPosition& next, std::string_view now);
/// Sets the row counts of a job that learns them while writing (a first load).
Status SetImportJobTotals(db::Connection& c, int64_t id, uint64_t total_rows,
                          uint64_t rejected_rows, std::string_view now);
Status FinishImportJob(db::Connection& c, int64_t id, std::string_view now);

}  // namespace nemis::importer
