#include "registry/quality/scan_source.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "db/sql_builder.hpp"
#include "registry/current_grade.hpp"

namespace nemis::registry::quality {
namespace {

constexpr std::string_view kColumns =
    "SELECT s.id, s.name, s.gender, s.birth_date, s.ethnicity, s.id_type, s.id_index, "
    "s.number_kind, s.g1_name, s.g2_name, s.g1_index, s.g2_index, s.id_check, s.school_id, "
    "s.stage, s.grade, s.status, s.created_at, s.school_code, s.county_code, s.city_code, "
    "s.province_code, s.population_check, s.population_checked_on, s.grade_mark FROM student s";
enum Column : size_t {
  kId,
  kName,
  kGender,
  kBirth,
  kEthnicity,
  kIdType,
  kIdIndex,
  kNumberKind,
  kG1Name,
  kG2Name,
  kG1Index,
  kG2Index,
  kIdCheck,
  kSchoolId,
  kStage,
  kGrade,
  kStatus,
  kCreatedAt,
  kSchoolCode,
  kCountyCode,
  kCityCode,
  kProvinceCode,
  kPopulationCheck,
  kPopulationCheckedOn,
  kGradeMark,
};
// The registry's current students; those who left (graduated, transferred out, ...) are
// history, not candidates for a second registration.
constexpr std::string_view kInRegistry = " AND s.status IN ('01', '02', '04', '05', '12')";

int32_t PackedDate(std::string_view iso) {  // "YYYY-MM-DD" -> YYYYMMDD, 0 if malformed
  if (iso.size() != 10) return 0;
  int32_t y = 0, m = 0, d = 0;
  std::from_chars(iso.data(), iso.data() + 4, y);
  std::from_chars(iso.data() + 5, iso.data() + 7, m);
  std::from_chars(iso.data() + 8, iso.data() + 10, d);
  return y * 10000 + m * 100 + d;
}

uint8_t SmallCode(std::string_view code) {
  int v = 0;
  std::from_chars(code.data(), code.data() + code.size(), v);
  return static_cast<uint8_t>(std::clamp(v, 0, 255));
}

// The promotion count of every school (current_grade.hpp), read once for the scan.
using SchoolPromotionCounts = std::map<int64_t, int64_t>;

Result<SchoolPromotionCounts> LoadSchoolPromotions(db::Connection& c) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT id, promotions FROM org WHERE level = 4"));
  SchoolPromotionCounts out;
  for (const auto& row : rs.rows) out[row.Int(0)] = row.Int(1);
  return out;
}

void AddRow(const db::Row& r, const CheckRules& rules, const SchoolPromotionCounts& promotions,
            ScanData& out) {
  ScanRow row;
  row.id = r.Int(kId);
  row.school_id = r.Int(kSchoolId);
  row.name = r.Text(kName);
  std::string birth = r.Text(kBirth);
  row.birth = PackedDate(birth);
  const auto school = promotions.find(r.Int(kSchoolId));
  row.grade = static_cast<int16_t>(CurrentGrade(static_cast<int>(r.Int(kGrade)), r.Text(kStage),
                                                r.Text(kStatus), r.Int(kGradeMark),
                                                school == promotions.end() ? 0 : school->second));
  row.gender = static_cast<uint8_t>(r.Int(kGender));
  row.ethnicity = SmallCode(r.Text(kEthnicity));
  row.has_id = !r.IsNull(kIdType);
  row.id_key = BlindKey(r.Text(kIdIndex));
  row.g1_key = BlindKey(r.Text(kG1Index));
  row.g2_key = BlindKey(r.Text(kG2Index));
  row.g1_name = TextKey(r.Text(kG1Name));
  row.g2_name = TextKey(r.Text(kG2Name));

  RecordFacts facts;
  facts.id = row.id;
  facts.school_id = row.school_id;
  std::string kind = r.Text(kNumberKind), created = r.Text(kCreatedAt), stage = r.Text(kStage),
              status = r.Text(kStatus), population = r.Text(kPopulationCheck),
              checked_on = r.Text(kPopulationCheckedOn);
  facts.number_kind = kind.empty() ? 'G' : kind[0];
  facts.created_at = created;
  if (!r.IsNull(kIdCheck)) facts.id_check = static_cast<int>(r.Int(kIdCheck));
  facts.has_id = row.has_id;
  facts.has_guardian = row.g1_name != 0 || row.g2_name != 0;
  facts.has_guardian_id = row.g1_key != 0 || row.g2_key != 0;
  facts.stage = stage;
  facts.status = status;
  facts.grade = row.grade;
  facts.birth = row.birth;
  facts.population_check = population;
  facts.population_checked_on = checked_on;
  CheckRecord(facts, rules, out.findings);

  if (!out.schools.contains(row.school_id))
    out.schools[row.school_id] = {r.Text(kSchoolCode), r.Text(kProvinceCode),
                                  r.OptText(kCountyCode), r.OptText(kCityCode)};
  out.rows.push_back(std::move(row));
}

struct IdSpan {
  int64_t before_first = 0, last = 0;
};

Result<IdSpan> IdRange(db::Connection& c) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT MIN(id), MAX(id) FROM student"));
  if (rs.empty() || rs.rows[0].IsNull(0)) return IdSpan{};
  return IdSpan{rs.rows[0].Int(0) - 1, rs.rows[0].Int(1)};
}

}  // namespace

Status LoadScanData(db::Database& db, const org::Scope& where, const CheckRules& rules,
                    int64_t batch_ids, ScanData& out,
                    const std::function<void(int64_t, int64_t)>& progress) {
  NEMIS_ASSIGN_OR_RETURN(IdSpan span, db.Read<IdSpan>(IdRange));
  NEMIS_ASSIGN_OR_RETURN(auto promotions, db.Read<SchoolPromotionCounts>(LoadSchoolPromotions));
  for (int64_t lo = span.before_first; lo < span.last; lo += batch_ids) {
    const int64_t hi = std::min(lo + batch_ids, span.last);
    NEMIS_TRY(db.WithReader([&](db::Connection& c) -> Status {
      db::SqlBuilder sql(kColumns);
      sql.Add(" WHERE s.id > $1", {lo});
      sql.Add(" AND s.id <= $1", {hi});
      sql.Add(kInRegistry);
      where.AddFilter(sql, org::ScopedTable::kStudent, "s");
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
      for (const auto& row : rs.rows) AddRow(row, rules, promotions, out);
      return {};
    }));
    if (progress) progress(hi - span.before_first, span.last - span.before_first);
  }
  return {};
}

}  // namespace nemis::registry::quality
