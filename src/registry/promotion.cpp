#include "registry/promotion.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "codes/stage.hpp"
#include "db/change_log.hpp"
#include "db/sql_builder.hpp"

namespace nemis::registry {
namespace {

// " (CASE s.stage WHEN 'primary' THEN 6 ... END)": the final grade of the student's stage.
const std::string& LastGradeSql() {
  static const std::string sql = [] {
    std::string out = "(CASE s.stage";
    for (codes::Stage stage : codes::AllStages())
      out += " WHEN '" + std::string(codes::StageId(stage)) + "' THEN " +
             std::to_string(codes::LastGrade(stage));
    return out + " END)";
  }();
  return sql;
}

// In school (在读, 复学) and not yet promoted in the year ($1).
constexpr std::string_view kDue = "s.status IN ('01', '05') AND s.promoted_year < $1";
// Held back from graduation (学籍管理办法: only students in school with no pending
// business and no problem record graduate): an open case about the student, or an open
// problem record on either side of it.
constexpr std::string_view kHeldBack =
    "(EXISTS (SELECT 1 FROM wf_case k WHERE k.subject = 'student:' || s.number_index "
    "AND k.status = 'open') OR EXISTS (SELECT 1 FROM problem_record p "
    "WHERE p.student_id = s.id AND p.state = 'open') OR EXISTS (SELECT 1 FROM problem_record p "
    "WHERE p.other_id = s.id AND p.state = 'open'))";

// Students due for the year within `where` and, for a graduation, of its stages.
void AddDue(db::SqlBuilder& sql, const PromotionOptions& options) {
  sql.Add(std::string(kDue), {options.year});
  options.where.AddFilter(sql, org::ScopedTable::kStudent, "s");
  if (options.stages == GraduatingStages::kSeniorOnly) sql.Add(" AND s.stage = 'senior'");
  if (options.stages == GraduatingStages::kAllButSenior) sql.Add(" AND s.stage <> 'senior'");
}

// Students of the batch (ids in ($lo, $hi]) due for the year.
void AddBatch(db::SqlBuilder& sql, const PromotionOptions& options, int64_t lo, int64_t hi) {
  sql.Add(" WHERE s.id > $1", {lo});
  sql.Add(" AND s.id <= $1", {hi});
  sql.Add(" AND ");
  AddDue(sql, options);
}

// The ids to go through: (first - 1, last], empty for an empty store.
struct IdSpan {
  int64_t before_first = 0, last = 0;
};

Result<IdSpan> IdRange(db::Connection& c) {
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT MIN(id), MAX(id) FROM student"));
  if (rs.empty() || rs.rows[0].IsNull(0)) return IdSpan{};
  return IdSpan{rs.rows[0].Int(0) - 1, rs.rows[0].Int(1)};
}

Status CountAll(db::Connection& c, const PromotionOptions& options, PromotionReport& report) {
  const std::string& last = LastGradeSql();
  db::SqlBuilder sql("SELECT s.school_code, SUM(CASE WHEN s.grade < " + last +
                     " THEN 1 ELSE 0 END), SUM(CASE WHEN s.grade >= " + last + " AND NOT " +
                     std::string(kHeldBack) +
                     " THEN 1 ELSE 0 END), SUM(CASE WHEN s.grade >= " + last + " AND " +
                     std::string(kHeldBack) + " THEN 1 ELSE 0 END) FROM student s WHERE ");
  AddDue(sql, options);
  sql.Add(" GROUP BY s.school_code");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  for (const auto& row : rs.rows)
    report.schools[row.Text(0)] = {row.Int(1), row.Int(2), row.Int(3)};
  return {};
}

// The batch's graduates: final grade, not held back. Decided once and, on PostgreSQL, their
// rows locked, so that the history rows and the graduation below name the same students
// even if a case opens or ends meanwhile (READ COMMITTED would re-decide per statement).
Result<std::string> PickGraduates(db::Connection& c, const PromotionOptions& options, int64_t lo,
                                  int64_t hi) {
  db::SqlBuilder pick("SELECT s.id FROM student s");
  AddBatch(pick, options, lo, hi);
  pick.Add(" AND s.grade >= " + LastGradeSql() + " AND NOT " + std::string(kHeldBack));
  if (c.backend() == db::Backend::kPostgres) pick.Add(" FOR UPDATE OF s");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(pick.sql(), pick.params()));
  std::string ids;  // "1,2,3": integers from the store, safe to write into the statement
  for (const auto& row : rs.rows) ids += (ids.empty() ? "" : ",") + std::to_string(row.Int(0));
  return ids;
}

// Graduates `ids` (a PickGraduates list): the history row, then status 07 and the year.
Result<db::ResultSet> Graduate(db::Connection& c, const PromotionOptions& options,
                               const std::string& ids, const std::string& ref,
                               const std::string& today, const std::string& now) {
  db::SqlBuilder history(
      "INSERT INTO student_change (student_id, change_type, change_date, reason, approved_on, "
      "approval_ref, case_id, from_school_code, to_school_code, from_grade, to_grade, from_class, "
      "to_class, status_before, status_after, recorded_at) SELECT s.id, '99', $1",
      {today});
  history.Add(", '毕业', $1", {today});
  history.Add(
      ", $1, NULL, s.school_code, s.school_code, s.grade, s.grade, s.class_no, s.class_no, "
      "s.status, '07'",
      {ref});
  history.Add(", $1 FROM student s WHERE s.id IN (" + ids + ")", {now});
  NEMIS_TRY(c.Query(history.sql(), history.params()));
  db::SqlBuilder graduate("UPDATE student AS s SET status = '07', promoted_year = $1",
                          {options.year});
  graduate.Add(", version = s.version + 1, updated_at = $1", {now});
  graduate.Add(" WHERE s.id IN (" + ids + ") RETURNING id, school_code");
  return c.Query(graduate.sql(), graduate.params());
}

// One id range in one transaction: graduation (history row, status 07), then promotion,
// each student marked with the year; the change log names every student changed.
Status RunBatch(db::Connection& c, const PromotionOptions& options, int64_t lo, int64_t hi,
                const std::string& today, const std::string& now, PromotionReport& report) {
  NEMIS_ASSIGN_OR_RETURN(std::string graduates, PickGraduates(c, options, lo, hi));
  db::ResultSet graduated;
  if (!graduates.empty()) {
    const std::string ref = "promotion:" + std::to_string(options.year);
    NEMIS_ASSIGN_OR_RETURN(graduated, Graduate(c, options, graduates, ref, today, now));
  }
  db::SqlBuilder promote("UPDATE student AS s SET grade = s.grade + 1, promoted_year = $1",
                         {options.year});
  promote.Add(", version = s.version + 1, updated_at = $1", {now});
  AddBatch(promote, options, lo, hi);
  promote.Add(" AND s.grade < " + LastGradeSql() + " RETURNING id, school_code");
  NEMIS_ASSIGN_OR_RETURN(auto promoted, c.Query(promote.sql(), promote.params()));

  std::vector<int64_t> ids;
  ids.reserve(graduated.rows.size() + promoted.rows.size());
  for (const auto& row : graduated.rows) {
    ids.push_back(row.Int(0));
    ++report.schools[row.Text(1)].graduated;
  }
  for (const auto& row : promoted.rows) {
    ids.push_back(row.Int(0));
    ++report.schools[row.Text(1)].promoted;
  }
  if (ids.empty()) return {};
  std::sort(ids.begin(), ids.end());
  return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now);
}

// Held back: final grades with an open case or problem record, as they stand after the run.
Status CountHeld(db::Connection& c, const PromotionOptions& options, PromotionReport& report) {
  db::SqlBuilder sql("SELECT s.school_code, COUNT(*) FROM student s WHERE ");
  AddDue(sql, options);
  sql.Add(" AND s.grade >= " + LastGradeSql() + " AND " + std::string(kHeldBack) +
          " GROUP BY s.school_code");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  for (const auto& row : rs.rows) report.schools[row.Text(0)].held = row.Int(1);
  return {};
}

void AddUpTotal(PromotionReport& report) {
  for (const auto& [school, tally] : report.schools) {
    report.total.promoted += tally.promoted;
    report.total.graduated += tally.graduated;
    report.total.held += tally.held;
  }
}

}  // namespace

Result<PromotionReport> GraduateIn(db::Connection& c, const Clock& clock,
                                   const PromotionOptions& options, std::string_view approval_ref) {
  PromotionReport report;
  report.dry_run = options.dry_run;
  if (options.dry_run) {
    NEMIS_TRY(CountAll(c, options, report));
    for (auto& [school, tally] : report.schools) tally.promoted = 0;
  } else {
    NEMIS_ASSIGN_OR_RETURN(std::string ids,
                           PickGraduates(c, options, 0, std::numeric_limits<int64_t>::max()));
    if (!ids.empty()) {
      const std::string now = FormatUtc(clock.Now());
      NEMIS_ASSIGN_OR_RETURN(auto graduated, Graduate(c, options, ids, std::string(approval_ref),
                                                      clock.TodayInChina().ToIso(), now));
      std::vector<int64_t> changed;
      for (const auto& row : graduated.rows) {
        changed.push_back(row.Int(0));
        ++report.schools[row.Text(1)].graduated;
      }
      std::sort(changed.begin(), changed.end());
      NEMIS_TRY(db::AppendChanges(c, "student", db::ChangeOp::kUpdate, changed, now));
    }
    NEMIS_TRY(CountHeld(c, options, report));
  }
  AddUpTotal(report);
  return report;
}

Status CheckPromotion(const Clock& clock, const PromotionOptions& options) {
  if (options.year < 2000 || options.year > 2100)
    return Error::Invalid({{"year", "bad_year", "学年须为 2000 至 2100 之间的年份"}});
  if (options.batch_ids < 1) return Error::Internal("promotion batch_ids must be positive");
  const Date promotion_day = options.calendar.Of(options.year).promotion_day;
  if (!options.dry_run && clock.TodayInChina() <= promotion_day)
    return Error::Refused("promotion_too_early", std::to_string(options.year) + "年的升级须在" +
                                                     std::to_string(promotion_day.month) + "月" +
                                                     std::to_string(promotion_day.day) +
                                                     "日24时（北京时间）之后进行");
  return {};
}

Result<PromotionReport> Promote(db::Database& db, const Clock& clock,
                                const PromotionOptions& options,
                                const std::function<void(int64_t, int64_t)>& progress) {
  NEMIS_TRY(CheckPromotion(clock, options));
  PromotionReport report;
  report.dry_run = options.dry_run;
  if (options.dry_run) {
    NEMIS_TRY(db.Read<int>([&](db::Connection& c) -> Result<int> {
      NEMIS_TRY(CountAll(c, options, report));
      return 0;
    }));
  } else {
    NEMIS_ASSIGN_OR_RETURN(IdSpan span, db.Read<IdSpan>(IdRange));
    const std::string now = FormatUtc(clock.Now());
    const std::string today = clock.TodayInChina().ToIso();
    for (int64_t lo = span.before_first; lo < span.last; lo += options.batch_ids) {
      const int64_t hi = std::min(lo + options.batch_ids, span.last);
      NEMIS_TRY(db.WithWriter(
          [&](db::Connection& c) { return RunBatch(c, options, lo, hi, today, now, report); }));
      if (progress) progress(hi - span.before_first, span.last - span.before_first);
      if (options.stop && options.stop->load() && hi < span.last)
        return Error::Unavailable("升级已中断（节点停止）；再次运行将从中断处继续");
    }
    NEMIS_TRY(db.Read<int>([&](db::Connection& c) -> Result<int> {
      NEMIS_TRY(CountHeld(c, options, report));
      return 0;
    }));
  }
  AddUpTotal(report);
  return report;
}

}  // namespace nemis::registry
