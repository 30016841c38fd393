// The state of one student import and its two ways of writing (student_import.hpp
// says when each is taken): in committed batches after a validating pass
// (student_import.cpp), or as a first load in one pass and one transaction
// (first_load.cpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "importer/first_occurrence.hpp"
#include "importer/import_job.hpp"
#include "importer/pending_students.hpp"
#include "importer/school_registrar.hpp"
#include "importer/student_import.hpp"
#include "importer/validation_pipeline.hpp"

namespace nemis::importer::internal {

inline constexpr std::string_view kImportKind = "students";  // import_job.kind
inline constexpr std::string_view kAnyStudent = "SELECT 1 FROM student LIMIT 1";

class StudentImporter {
 public:
  StudentImporter(db::Database& db, const crypto::FieldCipher& cipher, std::string path,
                  const ImportOptions& options);
  ImportReport Run();

 private:
  using Flush = std::function<Status(PendingStudents&, const CsvPosition& end)>;
  using Before = std::function<Status(const RecordBatch&)>;

  Status Prepare();
  Result<bool> IsFirstLoad();
  // Two passes (student_import.cpp).
  Status ValidatePass();
  Status WritePass();
  Status StartJob();
  Status WriteBatch(PendingStudents& batch, const CsvPosition& end);
  // One pass (first_load.cpp).
  Status FirstLoad();
  Status LoadInTransaction(db::Connection& c, CsvReader& reader, const RosterLayout& layout,
                           const std::string& now);
  // Shared.
  Status Validate(CsvReader& reader, const BatchValidation& how, std::string_view phase,
                  const Before& before, const std::function<Status(BatchVerdict&)>& after);
  Status GatherBatches(CsvReader& reader, const BatchValidation& how, std::string_view phase,
                       bool sequence, const Before& before, const Flush& flush);
  Result<std::unique_ptr<CsvReader>> OpenReader(RosterLayout* layout);
  void NoteColumns(const RosterLayout& layout);
  Status Sequence(BatchVerdict& verdict);
  Status NoteRegisteredElsewhere(uint64_t line, std::string_view id_number);
  bool Writable(uint64_t line) const;
  void Reject(uint64_t line, std::vector<RowError> errors);
  void AddErrors(std::vector<RowError> errors);
  void Fail(const Error& error);
  void Summarise();
  std::string Now() const;

  db::Database& db_;
  const crypto::FieldCipher& cipher_;
  std::string path_;
  const ImportOptions& options_;
  int threads_;
  ImportReport report_;
  std::string fingerprint_;
  std::optional<ImportJob> job_;
  std::unique_ptr<registry::SchoolMap> schools_;
  std::unique_ptr<SchoolRegistrar> registrar_;
  FirstOccurrence seen_;
  std::vector<uint64_t> rejected_lines_;   // ascending: batches are sequenced in file order
  bool check_store_ = true;                // look rows up in the store during pass 1
  uint64_t failed_line_ = 0;               // where a file-level failure happened, if known
  std::string id_column_, number_column_;  // headers of the ID and number columns, for reports
};

}  // namespace nemis::importer::internal
