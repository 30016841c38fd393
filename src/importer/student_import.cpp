#include "importer/student_import.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "base/log.hpp"
#include "importer/file_fingerprint.hpp"
#include "importer/internal/student_importer.hpp"
#include "org/org_store.hpp"
#include "registry/duplicate_student.hpp"
#include "registry/student_bulk.hpp"

namespace nemis::importer {
namespace internal {
namespace {

// Rows validated together on one thread. A committed batch is made of whole units.
constexpr size_t kMaxParseRows = 20000;
constexpr std::string_view kStoreUnavailableMessage =
    "数据存储暂时不可用，导入未完成；稍后重新导入同一文件即可（已提交的批次不会重复写入）";

}  // namespace

StudentImporter::StudentImporter(db::Database& db, const crypto::FieldCipher& cipher,
                                 std::string path, const ImportOptions& options)
    : db_(db), cipher_(cipher), path_(std::move(path)), options_(options) {
  report_.skip_invalid = options.skip_invalid;
  report_.dry_run = options.dry_run;
  threads_ = options.threads > 0
                 ? options.threads
                 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

ImportReport StudentImporter::Run() {
  auto started = std::chrono::steady_clock::now();
  Status s = Prepare();
  if (s.ok() && report_.status != ImportStatus::kAlreadyImported && options_.dry_run) {
    if ((s = ValidatePass()).ok() && report_.status == ImportStatus::kDone)
      report_.status = ImportStatus::kValidated;
  } else if (s.ok() && report_.status != ImportStatus::kAlreadyImported) {
    Result<bool> first_load = IsFirstLoad();
    if (!first_load.ok())
      s = std::move(first_load).error();
    else if (*first_load)
      s = FirstLoad();
    else if ((s = ValidatePass()).ok() && report_.status == ImportStatus::kDone)
      s = WritePass();
  }
  if (!s.ok()) Fail(s.error());
  report_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  Summarise();
  return std::move(report_);
}

std::string StudentImporter::Now() const { return FormatUtc(options_.clock->Now()); }

Result<std::unique_ptr<CsvReader>> StudentImporter::OpenReader(RosterLayout* layout) {
  NEMIS_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path_, options_.csv));
  report_.encoding = std::string(TextEncodingName(reader->encoding()));
  auto header = ReadRosterHeader(*reader);
  if (!header.ok()) {
    failed_line_ = 1;
    return std::move(header).error();
  }
  *layout = std::move(*header);
  return reader;
}

// The first thing written into the report's warnings (so calling it again resets them).
void StudentImporter::NoteColumns(const RosterLayout& layout) {
  report_.warnings.clear();
  for (const auto& w : layout.mapping.warnings) report_.warnings.push_back(w.message);
  id_column_ = layout.ColumnOf(registry::StudentField::kIdNumber);
  number_column_ = layout.ColumnOf(registry::StudentField::kStudentNumber);
}

Status StudentImporter::Prepare() {
  NEMIS_ASSIGN_OR_RETURN(fingerprint_, FileFingerprint(path_));
  NEMIS_ASSIGN_OR_RETURN(job_, db_.Read<std::optional<ImportJob>>([&](db::Connection& c) {
    return FindImportJob(c, kImportKind, fingerprint_, options_.skip_invalid);
  }));
  if (job_ && job_->done) {
    report_.status = ImportStatus::kAlreadyImported;
    report_.import_id = job_->id;
    report_.total_rows = job_->total_rows;
    report_.imported_rows = job_->imported_rows;
    report_.rejected_rows = job_->rejected_rows;
    return {};
  }
  NEMIS_ASSIGN_OR_RETURN(auto schools,
                         db_.Read<std::vector<org::Institution>>([&](db::Connection& c) {
                           return org::OrgStore::LoadSchools(c, options_.scope);
                         }));
  schools_ = std::make_unique<registry::SchoolMap>(std::move(schools));
  // Looking every row up in an empty registry finds nothing: skip it (first loads).
  NEMIS_ASSIGN_OR_RETURN(auto any, db_.Read<bool>([](db::Connection& c) -> Result<bool> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kAnyStudent));
    return !rs.empty();
  }));
  check_store_ = any;
  if (options_.register_schools)
    registrar_ = std::make_unique<SchoolRegistrar>(db_, *schools_, options_.scope);
  return {};
}

Status StudentImporter::Validate(CsvReader& reader, const BatchValidation& how,
                                 std::string_view phase, const Before& before,
                                 const std::function<Status(BatchVerdict&)>& after) {
  PipelineOptions pipeline{threads_, std::min(kMaxParseRows, options_.batch_rows), options_.cancel,
                           nullptr};
  if (options_.on_progress) {
    pipeline.on_progress = [&, total = reader.total_bytes()](uint64_t rows, uint64_t bytes) {
      options_.on_progress({phase, rows, bytes, total});
    };
  }
  return RunValidation(reader, how, pipeline, before, after, &failed_line_);
}

void StudentImporter::Reject(uint64_t line, std::vector<RowError> errors) {
  rejected_lines_.push_back(line);
  AddErrors(std::move(errors));
}

void StudentImporter::AddErrors(std::vector<RowError> errors) {
  for (auto& e : errors) {
    ++report_.error_count;
    if (report_.errors.size() < options_.max_errors) report_.errors.push_back(std::move(e));
  }
}

Status StudentImporter::NoteRegisteredElsewhere(uint64_t line, std::string_view id_number) {
  if (!options_.on_registered_elsewhere) return {};
  return options_.on_registered_elsewhere(line, id_number);
}

// In file order: count rows, keep errors, and find rows that repeat an earlier row's
// document or number (the first occurrence wins). Stops at a row registered elsewhere
// when the import's owner may not go on (ImportOptions::on_registered_elsewhere).
Status StudentImporter::Sequence(BatchVerdict& verdict) {
  for (RowVerdict& v : verdict.rows) {
    ++report_.total_rows;
    if (!v.errors.empty()) {
      Reject(v.line, std::move(v.errors));
      if (v.registered_elsewhere.empty()) continue;
      if (Status go_on = NoteRegisteredElsewhere(v.line, v.registered_elsewhere); !go_on.ok()) {
        report_.rejected_rows = rejected_lines_.size();
        return go_on;
      }
      continue;
    }
    uint64_t first = 0;
    if (v.id_key != ~uint64_t{0})
      first = seen_.Insert(v.id_key, v.line);
    else if (!v.other_key.empty())
      first = seen_.Insert(v.other_key, v.line);
    if (first) {
      Reject(v.line, {{v.line, "idNumber", id_column_, "duplicate_in_file",
                       "与第 " + std::to_string(first) + " 行的身份证件号重复"}});
      continue;
    }
    if (!v.number_key.empty() && (first = seen_.Insert("#" + v.number_key, v.line)))
      Reject(v.line, {{v.line, "studentNumber", number_column_, "duplicate_in_file",
                       "与第 " + std::to_string(first) + " 行的学籍号重复"}});
  }
  report_.rejected_rows = rejected_lines_.size();
  return {};
}

// Whether a valid row may be written: not rejected by Sequence, and nothing rejected at
// all unless invalid rows are to be skipped.
bool StudentImporter::Writable(uint64_t line) const {
  if (!options_.skip_invalid && !rejected_lines_.empty()) return false;
  return !std::binary_search(rejected_lines_.begin(), rejected_lines_.end(), line);
}

// Validated units accumulate until a batch is full: every commit rewrites the index
// pages it touched, so fewer, larger commits write far less.
Status StudentImporter::GatherBatches(CsvReader& reader, const BatchValidation& how,
                                      std::string_view phase, bool sequence, const Before& before,
                                      const Flush& flush) {
  PendingStudents batch;
  uint64_t rows_in_batch = 0;
  CsvPosition batch_end;
  auto commit = [&]() -> Status {
    if (rows_in_batch == 0) return {};
    batch.SortByNumberIndex();
    NEMIS_TRY(flush(batch, batch_end));
    batch.Clear();
    rows_in_batch = 0;
    return {};
  };
  NEMIS_TRY(Validate(reader, how, phase, before, [&](BatchVerdict& verdict) -> Status {
    if (sequence) NEMIS_TRY(Sequence(verdict));
    rows_in_batch += std::max<uint64_t>(1, verdict.rows.size());
    batch_end = verdict.end;
    batch.Add(std::move(verdict), [this](uint64_t line) { return Writable(line); });
    return rows_in_batch >= options_.batch_rows ? commit() : Status();
  }));
  return commit();
}

// Pass 1 of two: validates, finds duplicates within the file and against the store,
// collects the schools to register; writes nothing.
Status StudentImporter::ValidatePass() {
  RosterLayout layout;
  NEMIS_ASSIGN_OR_RETURN(auto reader, OpenReader(&layout));
  NoteColumns(layout);
  BatchValidation how{&layout,
                      {options_.clock->TodayInChina(), schools_.get(), &options_.scope},
                      check_store_ ? &db_ : nullptr,
                      job_ ? job_->id : 0,
                      false,
                      &cipher_};
  Before observe;
  if (registrar_)
    observe = [&](const RecordBatch& batch) { return registrar_->Observe(batch, layout); };
  NEMIS_TRY(Validate(*reader, how, "validate", observe,
                     [&](BatchVerdict& v) -> Status { return Sequence(v); }));
  if (registrar_)
    for (const auto& r : registrar_->refusals()) report_.warnings.push_back(r);
  if (!options_.skip_invalid && !rejected_lines_.empty()) report_.status = ImportStatus::kRejected;
  return {};
}

Status StudentImporter::WriteBatch(PendingStudents& batch, const CsvPosition& end) {
  uint64_t late_rejects = 0;
  auto attempt = [&] {
    std::string now = Now();
    return db_.WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(registry::InsertStudents(c, cipher_, batch.students(), job_->id, now));
      return AdvanceImportJob(c, job_->id, batch.size(), late_rejects, end, now);
    });
  };
  Status s = attempt();
  if (s.ok() || s.error().code != db::kUniqueViolation) return s;
  // Someone registered one of these students after pass 1: report and drop them.
  std::vector<const registry::Student*> view(batch.students().begin(), batch.students().end());
  NEMIS_ASSIGN_OR_RETURN(auto holders,
                         db_.Read<std::vector<registry::RegisteredHolder>>([&](db::Connection& c) {
                           return registry::FindRegistered(c, cipher_, view);
                         }));
  std::vector<bool> drop(batch.size());
  Status go_on;
  for (const auto& h : holders) {
    if (drop[h.index]) continue;  // found by document and by number
    drop[h.index] = true;
    ++late_rejects;
    FieldError refusal = registry::DuplicateDocument(options_.scope, h.school);
    AddErrors({{batch.lines()[h.index], refusal.field, id_column_, refusal.code,
                "导入期间" + refusal.message}});
    if (refusal.code == registry::kRegisteredElsewhere && go_on.ok()) {
      const registry::Student& s = *view[h.index];
      go_on = NoteRegisteredElsewhere(batch.lines()[h.index],
                                      s.id_number ? *s.id_number : s.student_number);
    }
  }
  batch.Drop(drop);
  report_.rejected_rows += late_rejects;
  NEMIS_TRY(go_on);
  return attempt();
}

Status StudentImporter::StartJob() {
  if (job_) {
    report_.resumed_from_line = job_->resume.line;
    report_.imported_rows = job_->imported_rows;
    return {};
  }
  std::string now = Now();
  NEMIS_ASSIGN_OR_RETURN(
      job_, db_.Write<std::optional<ImportJob>>(
                [&](db::Connection& c) -> Result<std::optional<ImportJob>> {
                  if (registrar_)
                    for (const auto& school : registrar_->pending())
                      NEMIS_TRY(org::OrgStore::Insert(c, school, now));
                  NEMIS_ASSIGN_OR_RETURN(
                      auto job, CreateImportJob(c, kImportKind, fingerprint_, options_.skip_invalid,
                                                report_.total_rows, report_.rejected_rows, now));
                  return std::optional<ImportJob>(job);
                }));
  if (registrar_) report_.schools_registered = registrar_->pending().size();
  return {};
}

// Pass 2 of two: re-reads the file and commits the valid rows in batches, each with
// the job's resume point.
Status StudentImporter::WritePass() {
  NEMIS_TRY(StartJob());
  report_.import_id = job_->id;
  // Pass 2 validates against the schools as stored (registered ones have real ids now).
  NEMIS_ASSIGN_OR_RETURN(auto schools,
                         db_.Read<std::vector<org::Institution>>([&](db::Connection& c) {
                           return org::OrgStore::LoadSchools(c, options_.scope);
                         }));
  registry::SchoolMap stored(std::move(schools));
  RosterLayout layout;
  NEMIS_ASSIGN_OR_RETURN(auto reader, OpenReader(&layout));
  if (job_->resume.byte_offset > 0)
    NEMIS_TRY(reader->SeekToRecord(job_->resume.byte_offset, job_->resume.line));
  BatchValidation how{&layout, {options_.clock->TodayInChina(), &stored, &options_.scope},
                      nullptr, 0,
                      true,    &cipher_};
  NEMIS_TRY(GatherBatches(*reader, how, "write", false, nullptr,
                          [&](PendingStudents& batch, const CsvPosition& end) -> Status {
                            NEMIS_TRY(WriteBatch(batch, end));
                            report_.imported_rows += batch.size();
                            return {};
                          }));
  std::string now = Now();
  return db_.WithWriter([&](db::Connection& c) { return FinishImportJob(c, job_->id, now); });
}

// A failure of the whole file (encoding, header, quote, store) is reported like a
// row error too, so that the CSV report a user opens in Excel is never empty.
void StudentImporter::Fail(const Error& error) {
  report_.status = ImportStatus::kFailed;
  // A failing store's own words may name its server (host, port, file): not for the report.
  report_.message =
      error.code == db::kStoreUnavailable ? std::string(kStoreUnavailableMessage) : error.message;
  if (error.fields.empty()) AddErrors({{failed_line_, "", "", error.code, report_.message}});
  for (const auto& f : error.fields) AddErrors({{failed_line_, f.field, "", f.code, f.message}});
}

void StudentImporter::Summarise() {
  if (!report_.message.empty()) return;
  switch (report_.status) {
    case ImportStatus::kDone:
      report_.message = "导入完成：" + std::to_string(report_.imported_rows) + " 名学生已登记，" +
                        std::to_string(report_.rejected_rows) + " 行未导入";
      break;
    case ImportStatus::kRejected:
      report_.message =
          std::to_string(report_.rejected_rows) +
          (report_.dry_run
               ? " 行数据有误（仅校验，未写入任何数据）；请修正后重新校验，或选择跳过错误行"
               : " 行数据有误，未导入任何数据；请修正后重新导入，或选择跳过错误行");
      break;
    case ImportStatus::kAlreadyImported:
      report_.message =
          "该文件已于先前导入（导入编号 " + std::to_string(report_.import_id) + "），未重复写入";
      break;
    case ImportStatus::kValidated:
      report_.message = "校验完成（未写入任何数据）：" +
                        std::to_string(report_.total_rows - report_.rejected_rows) + " 行可以导入";
      if (report_.rejected_rows > 0)
        report_.message += "，" + std::to_string(report_.rejected_rows) + " 行有误将被跳过";
      break;
    case ImportStatus::kFailed:
      break;
  }
  log::Info("import_finished", {{"importId", report_.import_id},
                                {"status", ImportStatusId(report_.status)},
                                {"rows", static_cast<int64_t>(report_.total_rows)},
                                {"imported", static_cast<int64_t>(report_.imported_rows)},
                                {"rejected", static_cast<int64_t>(report_.rejected_rows)},
                                {"seconds", report_.seconds}});
}

}  // namespace internal

ImportReport ImportStudents(db::Database& db, const crypto::FieldCipher& cipher,
                            const std::string& path, const ImportOptions& options) {
  return internal::StudentImporter(db, cipher, path, options).Run();
}

}  // namespace nemis::importer
