#include "importer/import_job.hpp"

namespace nemis::importer {
namespace {

constexpr std::string_view kJobColumns =
    "SELECT id, status, total_rows, imported_rows, rejected_rows, resume_offset, resume_line FROM import_job ";
constexpr std::string_view kInsertJob =
    "INSERT INTO import_job (kind, fingerprint, skip_invalid, status, total_rows, imported_rows, rejected_rows, "
    "resume_offset, resume_line, created_at, updated_at) VALUES ($1, $2, $3, 'writing', $4, 0, $5, 0, 0, $6, $6) "
    "RETURNING id";
constexpr std::string_view kAdvanceJob =
    "UPDATE import_job SET imported_rows = imported_rows + $1, rejected_rows = rejected_rows + $2, "
    "resume_offset = $3, resume_line = $4, updated_at = $5 WHERE id = $6";
constexpr std::string_view kSetTotals =
    "UPDATE import_job SET total_rows = $1, rejected_rows = $2, updated_at = $3 WHERE id = $4";
constexpr std::string_view kFinishJob =
    "UPDATE import_job SET status = 'done', updated_at = $1 WHERE id = $2";

ImportJob JobFromRow(const db::Row& r) {
  ImportJob job;
  job.id = r.Int(0);
  job.done = r.Text(1) == "done";
  job.total_rows = static_cast<uint64_t>(r.Int(2));
  job.imported_rows = static_cast<uint64_t>(r.Int(3));
  job.rejected_rows = static_cast<uint64_t>(r.Int(4));
  job.resume = {static_cast<uint64_t>(r.Int(5)), static_cast<uint64_t>(r.Int(6))};
  return job;
}

Result<std::optional<ImportJob>> FirstJob(const db::ResultSet& rs) {
  if (rs.empty()) return std::optional<ImportJob>();
  return std::optional<ImportJob>(JobFromRow(rs.rows[0]));
}

}  // namespace

Result<std::optional<ImportJob>> FindImportJob(db::Connection& c, std::string_view kind,
                                               std::string_view fingerprint, bool skip_invalid) {
  NEMIS_ASSIGN_OR_RETURN(auto rs,
                         c.Query(std::string(kJobColumns) +
                                     "WHERE kind = $1 AND fingerprint = $2 AND skip_invalid = $3",
                                 {kind, fingerprint, skip_invalid ? 1 : 0}));
  return FirstJob(rs);
}

Result<std::optional<ImportJob>> LoadImportJob(db::Connection& c, int64_t id) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(std::string(kJobColumns) + "WHERE id = $1", {id}));
  return FirstJob(rs);
}

Result<ImportJob> CreateImportJob(db::Connection& c, std::string_view kind,
                                  std::string_view fingerprint, bool skip_invalid,
                                  uint64_t total_rows, uint64_t rejected_rows,
                                  std::string_view now) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kInsertJob, {kind, fingerprint, skip_invalid ? 1 : 0,
                                                       static_cast<int64_t>(total_rows),
                                                       static_cast<int64_t>(rejected_rows), now}));
  ImportJob job;
  job.id = rs.rows.at(0).Int(0);
  job.total_rows = total_rows;
  job.rejected_rows = rejected_rows;
  return job;
}

Status AdvanceImportJob(db::Connection& c, int64_t id, uint64_t imported, uint64_t rejected,
                        const CsvPosition& next, std::string_view now) {
  NEMIS_TRY(c.Query(kAdvanceJob, {static_cast<int64_t>(imported), static_cast<int64_t>(rejected),
                                  static_cast<int64_t>(next.byte_offset),
                                  static_cast<int64_t>(next.line), now, id}));
  return {};
}

Status SetImportJobTotals(db::Connection& c, int64_t id, uint64_t total_rows,
                          uint64_t rejected_rows, std::string_view now) {
  NEMIS_TRY(c.Query(kSetTotals, {static_cast<int64_t>(total_rows),
                                 static_cast<int64_t>(rejected_rows), now, id}));
  return {};
}

Status FinishImportJob(db::Connection& c, int64_t id, std::string_view now) {
  NEMIS_TRY(c.Query(kFinishJob, {now, id}));
  return {};
}

}  // namespace nemis::importer
