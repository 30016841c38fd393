// Validating one batch of roster records on a worker thread: shape, fields,
// and (in pass 1) documents already registered in the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "importer/csv_batch.hpp"
#include "importer/import_report.hpp"
#include "importer/roster_row.hpp"
#include "registry/student.hpp"
#include "registry/student_validation.hpp"

namespace nemis::importer {

struct RowVerdict {
  uint64_t line = 0;
  std::vector<RowError> errors;    // empty: the row is valid
  uint64_t id_key = ~uint64_t{0};  // packed citizen ID, for duplicates within the file
  std::string other_key;           // other document ("type:number"), if any
  std::string number_key;          // a supplied student number, if any
  /// The row's document (or supplied number) when the store holds it at a school outside
  /// the caller's scope (registered_elsewhere): a hit that the import's owner is audited for.
  std::string registered_elsewhere;
  std::optional<registry::Student> student;  // kept when the batch is to be written
};

struct BatchVerdict {
  std::vector<RowVerdict> rows;  // data rows only (blank rows are dropped)
  CsvPosition end;               // resume point after this batch
  uint64_t end_bytes = 0;        // reader position, for progress
};

struct BatchValidation {
  const RosterLayout* layout;
  registry::ValidationContext context;
  db::Database* check_store = nullptr;  // pass 1: look documents up in the store
  int64_t own_import_id = 0;            // rows written by this import (resumed) are not duplicates
  bool keep_students = false;           // kept students get their G number and are sealed here
  const crypto::FieldCipher* cipher = nullptr;  // blind indexes and sealing (required)
};

/// Never fails: store errors become row errors with code "store_unavailable". A row whose
/// document the store holds is refused naming the school only within the context's scope
/// (registry/duplicate_student.hpp).
BatchVerdict ValidateBatch(const RecordBatch& batch, const BatchValidation& how);

}  // namespace nemis::importer
