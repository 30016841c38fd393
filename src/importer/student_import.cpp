#include "importer/student_import.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <future>
#include <thread>

#include "base/log.hpp"
#include "db/deferred_indexes.hpp"
#include "importer/batch_validator.hpp"
#include "importer/file_fingerprint.hpp"
#include "importer/first_occurrence.hpp"
#include "importer/import_job.hpp"
#include "importer/school_registrar.hpp"
#include "org/org_store.hpp"
#include "registry/student_bulk.hpp"

namespace nemis::importer {
namespace {

constexpr std::string_view kKind = "students";
constexpr std::string_view kAnyStudent = "SELECT 1 FROM student LIMIT 1";
// Rows validated together on one thread. A committed batch is made of whole units.
constexpr size_t kMaxParseRows = 20000;

// Rows about to be written go in ID order: two of the student indexes are keyed by
// the ID (the G number and the document), so their insertions then walk each index
// forward instead of jumping about it (measured 8% faster on SQLite). Rows without
// a document go last. Sorts positions, then moves each student once.
void SortByDocument(std::vector<registry::Student>& students, std::vector<uint64_t>& lines) {
  auto key = [&](size_t i) -> std::string_view {
    return students[i].id_number ? std::string_view(*students[i].id_number) : std::string_view("~");
  };
  std::vector<size_t> order(students.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  std::vector<registry::Student> sorted_students;
  std::vector<uint64_t> sorted_lines;
  sorted_students.reserve(students.size());
  sorted_lines.reserve(lines.size());
  for (size_t i : order) {
    sorted_students.push_back(std::move(students[i]));
    sorted_lines.push_back(lines[i]);
  }
  students = std::move(sorted_students);
  lines = std::move(sorted_lines);
}

class StudentImporter {
 public:
  StudentImporter(db::Database& db, std::string path, const ImportOptions& options)
      : db_(db), path_(std::move(path)), options_(options) {
    report_.skip_invalid = options.skip_invalid;
    threads_ = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  }

  ImportReport Run() {
    auto started = std::chrono::steady_clock::now();
    Status s = Prepare();
    if (s.ok() && report_.status != ImportStatus::kAlreadyImported) s = ValidatePass();
    if (s.ok() && report_.status == ImportStatus::kDone) s = WritePass();
    if (!s.ok()) Fail(s.error());
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    Summarise();
    return std::move(report_);
  }

 private:
  Status Prepare();
  Status ValidatePass();
  Status WritePass();
  Status StartJob();
  bool IsFirstLoad() const;
  using FlushBatch =
      std::function<Status(std::vector<registry::Student>&, std::vector<uint64_t>&, const CsvPosition& end)>;
  Status StreamValidRows(CsvReader& reader, const BatchValidation& how, const FlushBatch& flush);
  Status WriteInBatches(CsvReader& reader, const BatchValidation& how);
  Status WriteInOneTransaction(CsvReader& reader, const BatchValidation& how);
  Status RunBatches(CsvReader& reader, const BatchValidation& how, std::string_view phase,
                    const std::function<void(const RecordBatch&)>& before,
                    const std::function<Status(BatchVerdict&)>& after);
  void Sequence(BatchVerdict& verdict);
  Status WriteBatch(std::vector<registry::Student>& students, std::vector<uint64_t>& lines, const CsvPosition& end);
  Result<std::unique_ptr<CsvReader>> OpenReader(RosterLayout* layout);
  void Reject(uint64_t line, std::vector<RowError> errors);
  void AddErrors(std::vector<RowError> errors);
  void Fail(const Error& error);
  void Summarise();
  bool IsRejected(uint64_t line) const { return std::binary_search(rejected_lines_.begin(), rejected_lines_.end(), line); }
  std::string Now() const { return FormatUtc(options_.clock->Now()); }

  db::Database& db_;
  std::string path_;
  const ImportOptions& options_;
  int threads_;
  ImportReport report_;
  std::string fingerprint_;
  std::optional<ImportJob> job_;
  std::unique_ptr<registry::SchoolMap> schools_;
  std::unique_ptr<SchoolRegistrar> registrar_;
  FirstOccurrence seen_;
  std::vector<uint64_t> rejected_lines_;  // ascending: batches are sequenced in file order
  bool check_store_ = true;               // look rows up in the store during pass 1
  uint64_t failed_line_ = 0;              // where a file-level failure happened, if known
  std::string id_column_, number_column_;  // headers of the ID and number columns, for reports
};

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

Status StudentImporter::Prepare() {
  NEMIS_ASSIGN_OR_RETURN(fingerprint_, FileFingerprint(path_));
  NEMIS_ASSIGN_OR_RETURN(job_, db_.Read<std::optional<ImportJob>>([&](db::Connection& c) {
    return FindImportJob(c, kKind, fingerprint_, options_.skip_invalid);
  }));
  if (job_ && job_->done) {
    report_.status = ImportStatus::kAlreadyImported;
    report_.import_id = job_->id;
    report_.total_rows = job_->total_rows;
    report_.imported_rows = job_->imported_rows;
    report_.rejected_rows = job_->rejected_rows;
    return {};
  }
  NEMIS_ASSIGN_OR_RETURN(auto schools, db_.Read<std::vector<org::Institution>>([&](db::Connection& c) {
    return org::OrgStore::LoadSchools(c, options_.scope);
  }));
  schools_ = std::make_unique<registry::SchoolMap>(std::move(schools));
  // Looking every row up in an empty registry finds nothing: skip it (first loads).
  NEMIS_ASSIGN_OR_RETURN(auto any, db_.Read<bool>([](db::Connection& c) -> Result<bool> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kAnyStudent));
    return !rs.empty();
  }));
  check_store_ = any;
  if (options_.register_schools) registrar_ = std::make_unique<SchoolRegistrar>(db_, *schools_, options_.scope);
  return {};
}

Status StudentImporter::RunBatches(CsvReader& reader, const BatchValidation& how, std::string_view phase,
                                   const std::function<void(const RecordBatch&)>& before,
                                   const std::function<Status(BatchVerdict&)>& after) {
  std::deque<std::future<BatchVerdict>> in_flight;
  uint64_t rows = 0;
  Status status;
  auto collect = [&] {
    BatchVerdict verdict = in_flight.front().get();
    in_flight.pop_front();
    rows += verdict.rows.size();
    if (status.ok()) status = after(verdict);
    if (options_.on_progress) options_.on_progress({phase, rows, verdict.end_bytes, reader.total_bytes()});
  };
  while (status.ok()) {
    if (options_.cancel && options_.cancel->load()) {
      status = Error::Unavailable("导入已中断（服务停止）；已提交的批次保留，重新导入同一文件即可续传");
      break;
    }
    auto batch = std::make_shared<RecordBatch>();
    if (reader.ReadBatch(*batch, std::min(kMaxParseRows, options_.batch_rows)) == 0) break;
    if (before) before(*batch);
    uint64_t bytes = reader.bytes_read();
    in_flight.push_back(std::async(std::launch::async, [batch, &how, bytes] {
      BatchVerdict v = ValidateBatch(*batch, how);
      v.end_bytes = bytes;
      return v;
    }));
    while (in_flight.size() > static_cast<size_t>(threads_)) collect();
  }
  while (!in_flight.empty()) collect();
  if (status.ok() && reader.error()) {
    failed_line_ = reader.error_location().line;
    return *reader.error();
  }
  return status;
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

// Pass 1, in file order: count rows, keep errors, and find rows that repeat an
// earlier row's document or number (the first occurrence wins).
void StudentImporter::Sequence(BatchVerdict& verdict) {
  for (RowVerdict& v : verdict.rows) {
    ++report_.total_rows;
    if (!v.errors.empty()) {
      Reject(v.line, std::move(v.errors));
      continue;
    }
    uint64_t first = 0;
    if (v.id_key != ~uint64_t{0}) first = seen_.Insert(v.id_key, v.line);
    else if (!v.other_key.empty()) first = seen_.Insert(v.other_key, v.line);
    if (first) {
      Reject(v.line, {{v.line, "idNumber", id_column_, "duplicate_in_file",
                       "与第 " + std::to_string(first) + " 行的身份证件号重复"}});
      continue;
    }
    if (!v.number_key.empty() && (first = seen_.Insert("#" + v.number_key, v.line)))
      Reject(v.line, {{v.line, "studentNumber", number_column_, "duplicate_in_file",
                       "与第 " + std::to_string(first) + " 行的学籍号重复"}});
  }
}

Status StudentImporter::ValidatePass() {
  RosterLayout layout;
  NEMIS_ASSIGN_OR_RETURN(auto reader, OpenReader(&layout));
  for (const auto& w : layout.mapping.warnings) report_.warnings.push_back(w.message);
  id_column_ = layout.ColumnOf(registry::StudentField::kIdNumber);
  number_column_ = layout.ColumnOf(registry::StudentField::kStudentNumber);
  BatchValidation how{&layout, {options_.clock->TodayInChina(), schools_.get(), &options_.scope},
                      check_store_ ? &db_ : nullptr, job_ ? job_->id : 0, false};
  auto observe = [&](const RecordBatch& batch) { registrar_->Observe(batch, layout); };
  NEMIS_TRY(RunBatches(*reader, how, "validate", registrar_ ? std::function<void(const RecordBatch&)>(observe) : nullptr,
                       [&](BatchVerdict& v) -> Status {
                         Sequence(v);
                         return {};
                       }));
  if (registrar_)
    for (const auto& r : registrar_->refusals()) report_.warnings.push_back(r);
  report_.rejected_rows = rejected_lines_.size();
  if (!options_.skip_invalid && !rejected_lines_.empty()) report_.status = ImportStatus::kRejected;
  return {};
}

Status StudentImporter::WriteBatch(std::vector<registry::Student>& students, std::vector<uint64_t>& lines,
                                   const CsvPosition& end) {
  uint64_t late_rejects = 0;
  auto attempt = [&] {
    std::string now = Now();
    return db_.WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(registry::InsertStudents(c, students, job_->id, now));
      return AdvanceImportJob(c, job_->id, students.size(), late_rejects, end, now);
    });
  };
  Status s = attempt();
  if (s.ok() || s.error().code != db::kUniqueViolation) return s;
  // Someone registered one of these students after pass 1: report and drop them.
  std::vector<const registry::Student*> view;
  for (const auto& st : students) view.push_back(&st);
  NEMIS_ASSIGN_OR_RETURN(auto holders, db_.Read<std::vector<registry::RegisteredHolder>>(
                                           [&](db::Connection& c) { return registry::FindRegistered(c, view); }));
  std::vector<bool> drop(students.size());
  for (const auto& h : holders) {
    drop[h.index] = true;
    AddErrors({{lines[h.index], "idNumber", "", "duplicate_student",
                "导入期间该学生已在" + h.school_name + "（学校标识码 " + h.school_code + "）注册学籍"}});
  }
  std::vector<registry::Student> kept;
  std::vector<uint64_t> kept_lines;
  for (size_t i = 0; i < students.size(); ++i) {
    if (drop[i]) continue;
    kept.push_back(std::move(students[i]));
    kept_lines.push_back(lines[i]);
  }
  students = std::move(kept);
  lines = std::move(kept_lines);
  late_rejects = holders.size();
  report_.rejected_rows += late_rejects;
  return attempt();
}

Status StudentImporter::StartJob() {
  if (job_) {
    report_.resumed_from_line = job_->resume.line;
    report_.imported_rows = job_->imported_rows;
    return {};
  }
  std::string now = Now();
  NEMIS_ASSIGN_OR_RETURN(job_, db_.Write<std::optional<ImportJob>>([&](db::Connection& c) -> Result<std::optional<ImportJob>> {
    if (registrar_)
      for (const auto& school : registrar_->pending()) NEMIS_TRY(org::OrgStore::Insert(c, school, now));
    NEMIS_ASSIGN_OR_RETURN(auto job, CreateImportJob(c, kKind, fingerprint_, options_.skip_invalid,
                                                     report_.total_rows, report_.rejected_rows, now));
    return std::optional<ImportJob>(job);
  }));
  if (registrar_) report_.schools_registered = registrar_->pending().size();
  return {};
}

Status StudentImporter::WritePass() {
  NEMIS_TRY(StartJob());
  report_.import_id = job_->id;
  // Pass 2 validates against the schools as stored (registered ones have real ids now).
  NEMIS_ASSIGN_OR_RETURN(auto schools, db_.Read<std::vector<org::Institution>>([&](db::Connection& c) {
    return org::OrgStore::LoadSchools(c, options_.scope);
  }));
  registry::SchoolMap stored(std::move(schools));
  RosterLayout layout;
  NEMIS_ASSIGN_OR_RETURN(auto reader, OpenReader(&layout));
  if (job_->resume.byte_offset > 0) NEMIS_TRY(reader->SeekToRecord(job_->resume.byte_offset, job_->resume.line));
  BatchValidation how{&layout, {options_.clock->TodayInChina(), &stored, &options_.scope}, nullptr, 0, true};
  NEMIS_TRY(IsFirstLoad() ? WriteInOneTransaction(*reader, how) : WriteInBatches(*reader, how));
  std::string now = Now();
  return db_.WithWriter([&](db::Connection& c) { return FinishImportJob(c, job_->id, now); });
}

bool StudentImporter::IsFirstLoad() const {
  uint64_t valid_rows = report_.total_rows - report_.rejected_rows;
  return !check_store_ && job_->resume.byte_offset == 0 && options_.first_load_min_rows > 0 &&
         valid_rows >= options_.first_load_min_rows;
}

// Validated units accumulate until a batch is full: every commit rewrites the index
// pages it touched, so fewer, larger commits write far less.
Status StudentImporter::StreamValidRows(CsvReader& reader, const BatchValidation& how, const FlushBatch& flush) {
  std::vector<registry::Student> students;
  std::vector<uint64_t> lines;
  uint64_t rows_in_batch = 0;
  CsvPosition batch_end;
  auto commit = [&]() -> Status {
    if (rows_in_batch == 0) return {};
    SortByDocument(students, lines);
    NEMIS_TRY(flush(students, lines, batch_end));
    students.clear();
    lines.clear();
    rows_in_batch = 0;
    return {};
  };
  NEMIS_TRY(RunBatches(reader, how, "write", nullptr, [&](BatchVerdict& verdict) -> Status {
    for (auto& v : verdict.rows) {
      if (!v.errors.empty() || !v.student || IsRejected(v.line)) continue;
      students.push_back(std::move(*v.student));
      lines.push_back(v.line);
    }
    rows_in_batch += std::max<uint64_t>(1, verdict.rows.size());
    batch_end = verdict.end;
    return rows_in_batch >= options_.batch_rows ? commit() : Status();
  }));
  return commit();
}

Status StudentImporter::WriteInBatches(CsvReader& reader, const BatchValidation& how) {
  return StreamValidRows(reader, how, [&](std::vector<registry::Student>& students, std::vector<uint64_t>& lines,
                                          const CsvPosition& end) -> Status {
    NEMIS_TRY(WriteBatch(students, lines, end));
    report_.imported_rows += students.size();
    return {};
  });
}

// A first load: every batch goes into one transaction with the student indexes
// dropped, and the indexes are built once at the end (see db/deferred_indexes.hpp).
// Killed or failed, it rolls back whole; nothing is left to resume.
Status StudentImporter::WriteInOneTransaction(CsvReader& reader, const BatchValidation& how) {
  std::string now = Now();
  uint64_t imported = 0;
  Status s = db_.WithWriter([&](db::Connection& c) -> Status {
    // Issuing a J number looks it up by number: that index stays.
    NEMIS_ASSIGN_OR_RETURN(auto deferred, db::DeferredIndexes::Drop(c, "student", {"student_number"}));
    CsvPosition end;
    NEMIS_TRY(StreamValidRows(reader, how, [&](std::vector<registry::Student>& students, std::vector<uint64_t>&,
                                               const CsvPosition& batch_end) -> Status {
      NEMIS_TRY(registry::InsertStudents(c, students, job_->id, now));
      imported += students.size();
      end = batch_end;
      return {};
    }));
    if (options_.on_progress) options_.on_progress({"index", imported, reader.total_bytes(), reader.total_bytes()});
    NEMIS_TRY(deferred.Rebuild(c));
    return AdvanceImportJob(c, job_->id, imported, 0, end, now);
  });
  // Only a registration made elsewhere between the two passes can collide here.
  if (!s.ok() && s.error().code == db::kUniqueViolation)
    return Error::Conflict("duplicate_student",
                           "导入期间有学生在别处登记了本文件中的身份证件号或学籍号；学籍库未改动，请重新导入以查看重复的行");
  NEMIS_TRY(s);
  report_.imported_rows = imported;
  return {};
}

// A failure of the whole file (encoding, header, quote, store) is reported like a
// row error too, so that the CSV report a user opens in Excel is never empty.
void StudentImporter::Fail(const Error& error) {
  report_.status = ImportStatus::kFailed;
  report_.message = error.message;
  if (error.fields.empty()) AddErrors({{failed_line_, "", "", error.code, error.message}});
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
      report_.message = std::to_string(report_.rejected_rows) + " 行数据有误，未导入任何数据；请修正后重新导入，或选择跳过错误行";
      break;
    case ImportStatus::kAlreadyImported:
      report_.message = "该文件已于先前导入（导入编号 " + std::to_string(report_.import_id) + "），未重复写入";
      break;
    case ImportStatus::kFailed: break;
  }
  log::Info("import_finished", {{"importId", report_.import_id}, {"status", ImportStatusId(report_.status)},
                                {"rows", static_cast<int64_t>(report_.total_rows)},
                                {"imported", static_cast<int64_t>(report_.imported_rows)},
                                {"rejected", static_cast<int64_t>(report_.rejected_rows)},
                                {"seconds", report_.seconds}});
}

}  // namespace

ImportReport ImportStudents(db::Database& db, const std::string& path, const ImportOptions& options) {
  return StudentImporter(db, path, options).Run();
}

}  // namespace nemis::importer
