// Importing a student roster (CSV, UTF-8 or GB18030) into the registry.
//
// In general two passes over the file. Pass 1 parses and validates every row in
// parallel, finds duplicates within the file and against the store, and writes nothing.
// If any row is invalid and skip_invalid is off, the import stops there: the store is
// unchanged. Pass 2 re-reads the file and commits the valid rows in batches; each batch
// also advances the import's resume point in the same transaction. Killed mid-way, the
// store holds whole committed batches only, and running the same import again (same
// file content) resumes after the last one; a file already imported completely is
// reported as such and nothing is written.
//
// A dry run (ImportOptions::dry_run) is pass 1 alone: the report says what the import
// would do, row by row, and nothing is written, not even a resume point.
//
// A first load (no student in the store, at least first_load_min_rows rows as
// estimated from the file's size) instead reads the file once, in one transaction:
// rows are validated and written as they come, the student indexes and foreign keys
// are dropped meanwhile and built once at the end, and the transaction rolls back if
// any row is invalid and skip_invalid is off. Killed, the store is unchanged.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "importer/csv_reader.hpp"
#include "importer/import_report.hpp"
#include "org/scope.hpp"

namespace nemis::importer {

struct ImportProgress {
  std::string_view phase;  // "validate" then "write"; for a first load "write" then "index"
  uint64_t rows = 0;       // rows processed in this phase
  uint64_t bytes = 0;      // of the file
  uint64_t total_bytes = 0;
};

struct ImportOptions {
  bool skip_invalid = false;             // import the valid rows, report the rest
  bool dry_run = false;                  // validate only (see above)
  bool register_schools = false;         // see school_registrar.hpp
  size_t batch_rows = 500000;            // file rows per committed batch (a resume point)
  size_t first_load_min_rows = 1000000;  // see above; 0: always commit in batches
  int threads = 0;                       // validation threads; 0: one per core
  size_t max_errors = 100000;            // errors kept in the report
  CsvOptions csv;
  /// A load with the store to itself (the CLI): a first load then runs through
  /// Database::WithExclusiveWriter. Never set by a serving node.
  bool exclusive_store = false;
  org::Scope scope =
      org::Scope::Everything();  // the caller's scope: schools outside it are unknown
  const Clock* clock = &Clock::System();
  std::function<void(const ImportProgress&)> on_progress;
  /// Checked between batches: set it to stop after the current batch commits.
  const std::atomic<bool>* cancel = nullptr;
  /// Called in file order for each row refused because the store holds its document at a
  /// school outside `scope` (code "registered_elsewhere", the school not named), with the
  /// row's line and the document number (in clear: mask it before recording it). An error
  /// stops the import after that row and is reported as its failure (e.g. an account
  /// throttled for probing guessed IDs, api/duplicate_probe.hpp).
  std::function<Status(uint64_t line, std::string_view id_number)> on_registered_elsewhere;
};

/// Imports `path`. Never throws for bad input: the report says what happened.
/// `cipher` (the node's field keys) seals the students' personal data.
ImportReport ImportStudents(db::Database& db, const crypto::FieldCipher& cipher,
                            const std::string& path, const ImportOptions& options);

}  // namespace nemis::importer
