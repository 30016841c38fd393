// A first load (see student_import.hpp): one pass over the file in one transaction.
// Rows are validated and written as they are read; if any row is invalid and invalid
// rows are not to be skipped, the transaction rolls back at the end, leaving the store
// exactly as a refused validation pass would. Reading the file once instead of twice,
// and with the indexes built once at the end, is what makes a load of a province fast.
#include <string>

#include "db/deferred_foreign_keys.hpp"
#include "db/deferred_indexes.hpp"
#include "importer/internal/student_importer.hpp"
#include "registry/student_bulk.hpp"

namespace nemis::importer::internal {
namespace {

// Enough rows to estimate the length of a row, few enough to read at once.
constexpr size_t kSampleRows = 1000;
// Codes the transaction fails with to roll back: rows were refused; someone registered
// a student since the registry was found empty.
constexpr std::string_view kRowsRefused = "rows_refused";
constexpr std::string_view kRegistryNotEmpty = "registry_not_empty";

}  // namespace

// Worth it when the registry is empty, no import of this file has committed a batch,
// and the file holds at least first_load_min_rows rows, estimated from its size and
// the length of its first rows. A wrong estimate costs time, never correctness.
Result<bool> StudentImporter::IsFirstLoad() {
  if (check_store_ || options_.first_load_min_rows == 0 || (job_ && job_->resume.byte_offset > 0))
    return false;
  RosterLayout layout;
  NEMIS_ASSIGN_OR_RETURN(auto reader, OpenReader(&layout));
  RecordBatch sample;
  const size_t rows = reader->ReadBatch(sample, kSampleRows);
  if (rows < kSampleRows) return rows >= options_.first_load_min_rows;  // the whole file
  const uint64_t start = sample.record(0).byte_offset();
  const uint64_t length = sample.end().byte_offset - start;
  if (length == 0 || reader->total_bytes() < start) return false;
  const double estimate = static_cast<double>(rows) *
                          static_cast<double>(reader->total_bytes() - start) /
                          static_cast<double>(length);
  return estimate >= static_cast<double>(options_.first_load_min_rows);
}

Status StudentImporter::FirstLoad() {
  RosterLayout layout;
  NEMIS_ASSIGN_OR_RETURN(auto reader, OpenReader(&layout));
  NoteColumns(layout);
  if (options_.on_progress) options_.on_progress({"write", 0, 0, reader->total_bytes()});
  const std::optional<ImportJob> job_before = job_;
  const std::string now = Now();
  auto load = [&](db::Connection& c) { return LoadInTransaction(c, *reader, layout, now); };
  Status s = options_.exclusive_store ? db_.WithExclusiveWriter(load) : db_.WithWriter(load);
  if (!s.ok() && s.error().code == kRegistryNotEmpty) {
    // A student was registered since Prepare: check every row against the store after all.
    check_store_ = true;
    NEMIS_TRY(ValidatePass());
    return report_.status == ImportStatus::kDone ? WritePass() : Status();
  }
  if (registrar_) {
    for (const auto& r : registrar_->refusals()) report_.warnings.push_back(r);
    if (s.ok()) report_.schools_registered = registrar_->pending().size();
  }
  if (s.ok()) return {};
  job_ = job_before;
  report_.import_id = job_ ? job_->id : 0;
  report_.imported_rows = 0;
  if (s.error().code == kRowsRefused) {
    report_.status = ImportStatus::kRejected;
    return {};
  }
  if (options_.cancel && options_.cancel->load())
    return Error{
        ErrorKind::kUnavailable,
        "import_interrupted",
        "导入已中断（服务停止）；首次导入在一个事务中写入，学籍库未改动，重新导入将从头开始",
        {}};
  return s;
}

Status StudentImporter::LoadInTransaction(db::Connection& c, CsvReader& reader,
                                          const RosterLayout& layout, const std::string& now) {
  // Every index goes, the student number's too: its keys are blind-index hashes, so
  // keeping it would insert at random places all along the load. A J number is then known
  // free unless the file supplied it (the registry was empty when the load began).
  NEMIS_ASSIGN_OR_RETURN(auto indexes, db::DeferredIndexes::Drop(c, "student"));
  // The registry's history (migration 19) gets a row per student from its trigger: its
  // index too is built once at the end (kept, it made a load a third slower).
  NEMIS_ASSIGN_OR_RETURN(auto history_indexes, db::DeferredIndexes::Drop(c, "student_history"));
  NEMIS_ASSIGN_OR_RETURN(auto foreign_keys, db::DeferredForeignKeys::Drop(c, "student"));
  // From here on nobody else writes students until the load commits (the SQLite writer
  // is ours; on PostgreSQL dropping the indexes locked the table): look once more.
  NEMIS_ASSIGN_OR_RETURN(auto any, c.Query(kAnyStudent));
  if (!any.empty())
    return Error::Conflict(std::string(kRegistryNotEmpty), "the registry is no longer empty");
  if (!job_) {
    NEMIS_ASSIGN_OR_RETURN(
        job_, CreateImportJob(c, kImportKind, fingerprint_, options_.skip_invalid, 0, 0, now));
  }
  report_.import_id = job_->id;
  Before observe;
  if (registrar_) {
    registrar_->InsertThrough(c, now);
    observe = [&](const RecordBatch& batch) { return registrar_->Observe(batch, layout); };
  }
  BatchValidation how{&layout, {options_.clock->TodayInChina(), schools_.get(), &options_.scope},
                      nullptr, 0,
                      true,    &cipher_};
  CsvPosition end;
  registry::NumberTaken supplied = [this](db::Connection&,
                                          std::string_view number) -> Result<bool> {
    return seen_.Contains("#" + std::string(number));
  };
  NEMIS_TRY(GatherBatches(reader, how, "write", true, observe,
                          [&](PendingStudents& batch, const CsvPosition& batch_end) -> Status {
                            NEMIS_TRY(registry::InsertStudents(c, cipher_, batch.students(),
                                                               job_->id, now, supplied));
                            report_.imported_rows += batch.size();
                            end = batch_end;
                            return {};
                          }));
  if (!options_.skip_invalid && !rejected_lines_.empty())
    return Error::Conflict(std::string(kRowsRefused), "rows refused: roll the load back");
  if (options_.on_progress)
    options_.on_progress(
        {"index", report_.imported_rows, reader.total_bytes(), reader.total_bytes()});
  NEMIS_TRY(indexes.Rebuild(c));
  NEMIS_TRY(history_indexes.Rebuild(c));
  NEMIS_TRY(foreign_keys.Restore(c));
  // PostgreSQL plans queries on the new rows from the table's statistics: gather them now
  // (a sample, under a second for 10 M rows) rather than whenever autovacuum comes by.
  if (c.backend() == db::Backend::kPostgres)
    NEMIS_TRY(c.ExecScript("ANALYZE student; ANALYZE student_history"));
  NEMIS_TRY(SetImportJobTotals(c, job_->id, report_.total_rows, report_.rejected_rows, now));
  NEMIS_TRY(AdvanceImportJob(c, job_->id, report_.imported_rows, 0, end, now));
  return FinishImportJob(c, job_->id, now);
}

}  // namespace nemis::importer::internal
