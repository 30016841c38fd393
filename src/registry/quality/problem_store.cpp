#include "registry/quality/problem_store.hpp"

#include <algorithm>
#include <array>

#include "db/sql_builder.hpp"
#include "registry/quality/problem_scope.hpp"

namespace nemis::registry::quality {
namespace {

constexpr std::string_view kInsertHead =
    "INSERT INTO problem_record (finding_key, kind, student_id, school_id, school_code, "
    "county_code, city_code, province_code, other_id, other_school_id, other_school_code, "
    "other_county_code, other_city_code, other_province_code, score, details, case_id, "
    "first_seen, last_seen, state) VALUES ";
// A pair's kind may change between scans (a name corrected turns similar_name into
// same_name_birth): it is one finding, its decision kept. Students move school: the
// codes follow them.
constexpr std::string_view kUpsertTail =
    " ON CONFLICT (finding_key) DO UPDATE SET kind = excluded.kind, "
    "school_id = excluded.school_id, school_code = excluded.school_code, "
    "county_code = excluded.county_code, city_code = excluded.city_code, "
    "province_code = excluded.province_code, other_school_id = excluded.other_school_id, "
    "other_school_code = excluded.other_school_code, "
    "other_county_code = excluded.other_county_code, other_city_code = excluded.other_city_code, "
    "other_province_code = excluded.other_province_code, score = excluded.score, "
    "details = excluded.details, last_seen = excluded.last_seen, "
    "state = CASE WHEN problem_record.state = 'gone' THEN 'open' ELSE problem_record.state END, "
    "version = problem_record.version + CASE WHEN problem_record.state = 'gone' THEN 1 ELSE 0 "
    "END";
constexpr std::string_view kCountAdded =
    "SELECT COUNT(*) FROM problem_record WHERE first_seen = $1";
constexpr size_t kRowsPerStatement = 200;
constexpr size_t kStatementsPerTransaction = 10;

// The owned texts a row's parameters point into.
struct RowTexts {
  std::string key;
  std::string_view kind;
};

void AddSchool(db::SqlBuilder& sql, const std::map<int64_t, SchoolPlace>& schools, int64_t id) {
  static const SchoolPlace kUnknown;
  auto it = schools.find(id);
  const SchoolPlace& p = it == schools.end() ? kUnknown : it->second;
  sql.Add(", $1", {id});
  sql.Add(", $1", {p.code});
  sql.Add(", $1", {p.county});
  sql.Add(", $1", {p.city});
  sql.Add(", $1", {p.province});
}

void AddRow(db::SqlBuilder& sql, const Finding& f, const RowTexts& t,
            const std::map<int64_t, SchoolPlace>& schools, const std::string& now) {
  sql.Add("($1", {t.key});
  sql.Add(", $1", {t.kind});
  sql.Add(", $1", {f.student_id});
  AddSchool(sql, schools, f.school_id);
  if (f.other_id != 0) {
    sql.Add(", $1", {f.other_id});
    AddSchool(sql, schools, f.other_school_id);
  } else {
    sql.Add(", NULL, NULL, NULL, NULL, NULL, NULL");
  }
  sql.Add(", $1", {f.score});
  sql.Add(", $1", {f.details});
  sql.Add(", $1", {f.case_id != 0 ? db::Param(f.case_id) : db::Param()});
  sql.Add(", $1, $1, 'open')", {now});
}

Status UpsertChunk(db::Connection& c, std::span<const Finding> chunk,
                   const std::map<int64_t, SchoolPlace>& schools, const std::string& now) {
  for (size_t at = 0; at < chunk.size(); at += kRowsPerStatement) {
    auto part = chunk.subspan(at, std::min(kRowsPerStatement, chunk.size() - at));
    std::vector<RowTexts> texts(part.size());
    db::SqlBuilder sql(kInsertHead);
    for (size_t i = 0; i < part.size(); ++i) {
      texts[i] = {FindingKey(part[i]), ProblemKindId(part[i].kind)};
      if (i > 0) sql.Add(", ");
      AddRow(sql, part[i], texts[i], schools, now);
    }
    sql.Add(kUpsertTail);
    NEMIS_TRY(c.Query(sql.sql(), sql.params()));
  }
  return {};
}

}  // namespace

Result<SaveCounts> SaveFindings(db::Database& db, const std::vector<Finding>& findings,
                                const std::map<int64_t, SchoolPlace>& schools,
                                const org::Scope& scanned, const std::string& now) {
  SaveCounts counts;
  const size_t per_transaction = kRowsPerStatement * kStatementsPerTransaction;
  std::span<const Finding> all(findings);
  for (size_t at = 0; at < all.size(); at += per_transaction) {
    auto chunk = all.subspan(at, std::min(per_transaction, all.size() - at));
    NEMIS_TRY(
        db.WithWriter([&](db::Connection& c) { return UpsertChunk(c, chunk, schools, now); }));
  }
  counts.stored = static_cast<int64_t>(findings.size());
  NEMIS_ASSIGN_OR_RETURN(counts.gone, db.Write<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    db::SqlBuilder sql("UPDATE problem_record AS p SET state = 'gone', version = p.version + 1");
    sql.Add(" WHERE p.state = 'open' AND p.last_seen < $1", {now});
    AddProblemScope(sql, scanned, Sides::kBoth, "p");
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    return rs.affected;
  }));
  NEMIS_ASSIGN_OR_RETURN(counts.added, db.Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kCountAdded, {now}));
    return rs.rows.at(0).Int(0);
  }));
  return counts;
}

}  // namespace nemis::registry::quality
