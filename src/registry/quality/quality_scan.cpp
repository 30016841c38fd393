#include "registry/quality/quality_scan.hpp"

#include "registry/quality/duplicate_finder.hpp"
#include "registry/quality/overdue_cases.hpp"
#include "registry/quality/quality_backfill.hpp"
#include "registry/quality/scan_source.hpp"

namespace nemis::registry::quality {
namespace {

void Tally(const Finding& f, const ScanData& data, ScanReport& report) {
  ++report.kinds[f.kind];
  auto count_at = [&](int64_t school) {
    auto it = data.schools.find(school);
    if (it != data.schools.end()) ++report.schools[it->second.code][f.kind];
  };
  count_at(f.school_id);
  if (f.other_id != 0 && f.other_school_id != f.school_id) count_at(f.other_school_id);
}

}  // namespace

Result<ScanReport> ScanRecords(db::Database& db, const crypto::FieldCipher& cipher,
                               const Clock& clock, const ScanOptions& options,
                               const ScanProgress& progress) {
  if (options.duplicate_threshold < 0 || options.duplicate_threshold > 100)
    return Error::Invalid(
        {{"duplicateThreshold", "bad_threshold", "疑似重复的分数阈值须在 0 至 100 之间"}});
  if (options.batch_ids < 1) return Error::Internal("scan batch_ids must be positive");
  auto tell = [&](std::string_view stage, int64_t done, int64_t of) {
    if (progress) progress(stage, done, of);
  };
  ScanReport report;
  const std::string now = FormatUtc(clock.Now());
  NEMIS_ASSIGN_OR_RETURN(report.backfilled, BackfillQualityColumns(db, cipher));
  tell("backfill", report.backfilled, report.backfilled);

  CheckRules rules;
  rules.today = clock.TodayInChina();
  rules.temp_number_max_days = options.temp_number_max_days;
  rules.age_tolerance_years = options.age_tolerance_years;
  ScanData data;
  NEMIS_TRY(LoadScanData(db, options.where, rules, options.batch_ids, data,
                         [&](int64_t done, int64_t of) { tell("read", done, of); }));
  NEMIS_TRY(FindOverdueCases(db, options.where, rules.today, data));
  report.students = static_cast<int64_t>(data.rows.size());
  std::vector<Finding> pairs = FindDuplicates(data.rows, options.duplicate_threshold);
  tell("match", report.students, report.students);
  data.rows = {};  // the memory goes back before the writes
  data.findings.insert(data.findings.end(), pairs.begin(), pairs.end());
  for (const Finding& f : data.findings) Tally(f, data, report);
  NEMIS_ASSIGN_OR_RETURN(report.saved,
                         SaveFindings(db, data.findings, data.schools, options.where, now));
  tell("save", report.saved.stored, report.saved.stored);
  return report;
}

}  // namespace nemis::registry::quality
