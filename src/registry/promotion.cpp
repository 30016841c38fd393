#include "registry/promotion.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <span>
#include <vector>

#include "db/change_log.hpp"
#include "db/sql_builder.hpp"
#include "registry/current_grade.hpp"

namespace nemis::registry {
namespace {

constexpr int64_t kSchoolsPerBatch = 200;

// The students' rows with their school's.
constexpr std::string_view kFrom = " FROM student s JOIN org o ON o.id = s.school_id";
// In school (在读, 复学) and not graduated in the year ($1).
constexpr std::string_view kDue = "s.status IN ('01', '05') AND s.promoted_year < $1";
// Held back from graduation (学籍管理办法: only students in school with no pending
// business and no problem record graduate): an open case about the student, or an open
// problem record on either side of it.
constexpr std::string_view kHeldBack =
    "(EXISTS (SELECT 1 FROM wf_case k WHERE k.subject = 'student:' || s.number_index "
    "AND k.status = 'open') OR EXISTS (SELECT 1 FROM problem_record p "
    "WHERE p.student_id = s.id AND p.state = 'open') OR EXISTS (SELECT 1 FROM problem_record p "
    "WHERE p.other_id = s.id AND p.state = 'open'))";

// The grade now (current_grade.hpp), `s` joined with its school `o`.
const std::string& CurrentGrade() {
  static const std::string sql = CurrentGradeSql("o.promotions");
  return sql;
}
// The same where the school is not joined (an UPDATE of students).
const std::string& CurrentGradeAlone() {
  static const std::string sql = CurrentGradeSql(SchoolPromotionsSql());
  return sql;
}

// " AND <in the final grade of the stage in the school year that ends>": as of before the
// school's promotion into the next when it has had it, so that a student held back graduates
// later and one who moved up into the final grade does not graduate a year early.
void AddFinalForYearCondition(db::SqlBuilder& sql, int year) {
  sql.Add("(CASE WHEN o.promoted_year >= $1", {year});
  sql.Add(" THEN " + CurrentGradeSql("o.promotions - 1") + " ELSE " + CurrentGrade() +
          " END) >= " + LastGradeSql());
}
void AddFinalForYear(db::SqlBuilder& sql, int year) {
  sql.Add(" AND ");
  AddFinalForYearCondition(sql, year);
}

// Students due for the year's graduation within `where` and, for a school's graduation, of
// its stages: in school, in a school not promoted past the year.
void AddDue(db::SqlBuilder& sql, const PromotionOptions& options) {
  sql.Add(std::string(kDue), {options.year});
  sql.Add(" AND o.promoted_year <= $1", {options.year});
  options.where.AddFilter(sql, org::ScopedTable::kStudent, "s");
  if (options.stages == GraduatingStages::kSeniorOnly) sql.Add(" AND s.stage = 'senior'");
  if (options.stages == GraduatingStages::kAllButSenior) sql.Add(" AND s.stage <> 'senior'");
}

// The due graduates (final grade for the year, not held back) or, `held`, those held back.
void AddGraduates(db::SqlBuilder& sql, const PromotionOptions& options, bool held) {
  AddDue(sql, options);
  AddFinalForYear(sql, options.year);
  sql.Add(std::string(held ? " AND " : " AND NOT ") + std::string(kHeldBack));
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

// Adds the per-school counts of `sql` (school code, count) to the tally's `field`.
Status AddCounts(db::Connection& c, db::SqlBuilder& sql, PromotionReport& report,
                 int64_t PromotionTally::*field) {
  sql.Add(" GROUP BY s.school_code");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  for (const auto& row : rs.rows) report.schools[row.Text(0)].*field += row.Int(1);
  return {};
}

// Students the next promotion of their school moves up: in school, below the final grade
// now, and not enrolled ahead of it (next_stage_enrolment.hpp), in the schools `schools`
// names (an SQL condition on o).
Status CountMovingUp(db::Connection& c, const std::string& schools, PromotionReport& report) {
  db::SqlBuilder sql("SELECT s.school_code, COUNT(*)" + std::string(kFrom) + " WHERE " + schools +
                     " AND s.status IN ('01', '05') AND s.grade_mark <= o.promotions AND " +
                     CurrentGrade() + " < " + LastGradeSql());
  return AddCounts(c, sql, report, &PromotionTally::promoted);
}

// Who graduates and who is held back within `bounds` (a condition on s, or "").
Status CountGraduates(db::Connection& c, const PromotionOptions& options, const std::string& bounds,
                      PromotionReport& report) {
  for (bool held : {false, true}) {
    db::SqlBuilder sql("SELECT s.school_code, COUNT(*)" + std::string(kFrom) + " WHERE " + bounds);
    AddGraduates(sql, options, held);
    NEMIS_TRY(AddCounts(c, sql, report, held ? &PromotionTally::held : &PromotionTally::graduated));
  }
  return {};
}

// The condition on o: the subtree's schools not yet promoted in the year.
void AddSchoolsDue(db::SqlBuilder& sql, const PromotionOptions& options) {
  sql.Add("o.level = 4 AND o.promoted_year < $1", {options.year});
  options.where.AddFilter(sql, org::ScopedTable::kOrg, "o");
}

// The dry run: who would move up, graduate, be held back.
Status CountAll(db::Connection& c, const PromotionOptions& options, PromotionReport& report) {
  NEMIS_TRY(CountGraduates(c, options, "", report));
  db::SqlBuilder schools("SELECT o.id FROM org o WHERE ");
  AddSchoolsDue(schools, options);
  NEMIS_ASSIGN_OR_RETURN(auto due, c.Query(schools.sql(), schools.params()));
  std::string ids;  // integers from the store, safe to write into the statement
  for (const auto& row : due.rows) ids += (ids.empty() ? "" : ",") + std::to_string(row.Int(0));
  return ids.empty() ? Status{} : CountMovingUp(c, "o.id IN (" + ids + ")", report);
}

// The graduates of `pick` (a query of student ids). Decided once and, on PostgreSQL, their
// rows locked, so that the history rows and the graduation below name the same students
// even if a case opens or ends meanwhile (READ COMMITTED would re-decide per statement).
Result<std::string> PickGraduates(db::Connection& c, db::SqlBuilder& pick) {
  if (c.backend() == db::Backend::kPostgres) pick.Add(" FOR UPDATE OF s");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(pick.sql(), pick.params()));
  std::string ids;  // "1,2,3": integers from the store, safe to write into the statement
  for (const auto& row : rs.rows) ids += (ids.empty() ? "" : ",") + std::to_string(row.Int(0));
  return ids;
}

// Graduates `ids` (a PickGraduates list): the history row, then status 07 and the year, the
// grade now kept with the status that ends its promotions (current_grade.hpp).
Result<db::ResultSet> Graduate(db::Connection& c, const PromotionOptions& options,
                               const std::string& ids, const std::string& ref,
                               const std::string& today, const std::string& now) {
  db::SqlBuilder history(
      "INSERT INTO student_change (student_id, change_type, change_date, reason, approved_on, "
      "approval_ref, case_id, from_school_code, to_school_code, from_grade, to_grade, from_class, "
      "to_class, status_before, status_after, recorded_at) SELECT s.id, '99', $1",
      {today});
  history.Add(", '毕业', $1", {today});
  history.Add(", $1, NULL, s.school_code, s.school_code, " + CurrentGradeAlone() + ", " +
                  CurrentGradeAlone() + ", s.class_no, s.class_no, s.status, '07'",
              {ref});
  history.Add(", $1 FROM student s WHERE s.id IN (" + ids + ")", {now});
  NEMIS_TRY(c.Query(history.sql(), history.params()));
  db::SqlBuilder graduate("UPDATE student AS s SET status = '07', promoted_year = $1",
                          {options.year});
  graduate.Add(", grade = " + CurrentGradeAlone() +
                   ", grade_mark = " + std::string(SchoolPromotionsSql()) +
                   ", version = s.version + 1, updated_at = $1",
               {now});
  graduate.Add(" WHERE s.id IN (" + ids + ") RETURNING id, school_code");
  return c.Query(graduate.sql(), graduate.params());
}

// Graduates the picked students and logs them; the tally by school.
Status GraduatePicked(db::Connection& c, const PromotionOptions& options, const std::string& ids,
                      const std::string& ref, const std::string& today, const std::string& now,
                      PromotionReport& report) {
  if (ids.empty()) return {};
  NEMIS_ASSIGN_OR_RETURN(auto graduated, Graduate(c, options, ids, ref, today, now));
  std::vector<int64_t> changed;
  changed.reserve(graduated.rows.size());
  for (const auto& row : graduated.rows) {
    changed.push_back(row.Int(0));
    ++report.schools[row.Text(1)].graduated;
  }
  std::sort(changed.begin(), changed.end());
  return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, changed, now);
}

// Graduates those of `bounds` (a condition on s, or "") that are due and not held back;
// counts those held back.
Status GraduateWithin(db::Connection& c, const PromotionOptions& options, const std::string& bounds,
                      const std::string& ref, const std::string& today, const std::string& now,
                      PromotionReport& report) {
  db::SqlBuilder held("SELECT s.school_code, COUNT(*)" + std::string(kFrom) + " WHERE " + bounds);
  AddGraduates(held, options, true);
  NEMIS_TRY(AddCounts(c, held, report, &PromotionTally::held));
  db::SqlBuilder pick("SELECT s.id" + std::string(kFrom) + " WHERE " + bounds);
  AddGraduates(pick, options, false);
  NEMIS_ASSIGN_OR_RETURN(std::string ids, PickGraduates(c, pick));
  return GraduatePicked(c, options, ids, ref, today, now, report);
}

// The students each school's promotion will move up, by school code, counted in phase 1.
using MoversBySchool = std::map<std::string, int64_t>;

// Phase 1, one id range (`bounds`): counts by school the students the promotion will move up,
// those held back from graduation and those to graduate, in one pass; then, if there are any,
// graduates the rest of the final grades of the year.
Status GraduateBatch(db::Connection& c, const PromotionOptions& options, const std::string& bounds,
                     const std::string& ref, const std::string& today, const std::string& now,
                     MoversBySchool& movers, PromotionReport& report) {
  db::SqlBuilder count("SELECT s.school_code, SUM(CASE WHEN o.promoted_year < $1", {options.year});
  count.Add(" AND s.grade_mark <= o.promotions AND " + CurrentGrade() + " < " + LastGradeSql() +
            " THEN 1 ELSE 0 END), SUM(CASE WHEN ");
  AddFinalForYearCondition(count, options.year);
  count.Add(" AND " + std::string(kHeldBack) + " THEN 1 ELSE 0 END), SUM(CASE WHEN ");
  AddFinalForYearCondition(count, options.year);
  count.Add(" AND NOT " + std::string(kHeldBack) + " THEN 1 ELSE 0 END)" + std::string(kFrom) +
            " WHERE " + bounds);
  AddDue(count, options);
  count.Add(" GROUP BY s.school_code");
  NEMIS_ASSIGN_OR_RETURN(auto counted, c.Query(count.sql(), count.params()));
  int64_t graduating = 0;
  for (const auto& row : counted.rows) {
    movers[row.Text(0)] += row.Int(1);
    if (row.Int(2) > 0) report.schools[row.Text(0)].held += row.Int(2);
    graduating += row.Int(3);
  }
  // After the July graduations most ranges have nobody to graduate: one scan, not two.
  if (graduating == 0) return {};
  db::SqlBuilder pick("SELECT s.id" + std::string(kFrom) + " WHERE " + bounds);
  AddGraduates(pick, options, false);
  NEMIS_ASSIGN_OR_RETURN(std::string ids, PickGraduates(c, pick));
  return GraduatePicked(c, options, ids, ref, today, now, report);
}

// The schools of the subtree not yet promoted in the year, in id order.
Result<std::vector<int64_t>> SchoolsDue(db::Connection& c, const PromotionOptions& options) {
  db::SqlBuilder sql("SELECT o.id FROM org o WHERE ");
  AddSchoolsDue(sql, options);
  sql.Add(" ORDER BY o.id");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  std::vector<int64_t> ids;
  ids.reserve(rs.rows.size());
  for (const auto& row : rs.rows) ids.push_back(row.Int(0));
  return ids;
}

// Phase 2, a batch of schools: each has one more promotion, which moves up every student in
// school below its final grade (current_grade.hpp), as phase 1 counted them.
Status PromoteSchools(db::Connection& c, const PromotionOptions& options,
                      std::span<const int64_t> schools, const std::string& now,
                      const MoversBySchool& movers, PromotionReport& report) {
  std::string ids;  // integers from the store, safe to write into the statement
  for (int64_t id : schools) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  db::SqlBuilder promote("UPDATE org SET promotions = promotions + 1, promoted_year = $1",
                         {options.year});
  promote.Add(", updated_at = $1 WHERE id IN (" + ids + ")", {now});
  promote.Add(" AND promoted_year < $1 RETURNING code", {options.year});
  NEMIS_ASSIGN_OR_RETURN(auto promoted, c.Query(promote.sql(), promote.params()));
  if (promoted.rows.size() != schools.size())  // another run promoted some meanwhile
    return Error::Conflict("promotion_concurrent", "另一升级任务正在进行，请稍后再试");
  for (const auto& row : promoted.rows)
    if (auto it = movers.find(row.Text(0)); it != movers.end() && it->second > 0)
      report.schools[it->first].promoted += it->second;
  const std::vector<int64_t> changed(schools.begin(), schools.end());
  return db::AppendChanges(c, "org", db::ChangeOp::kUpdate, changed, now);
}

// Adds a batch's tallies by school to the run's.
void AddTallies(const PromotionReport& batch, PromotionReport& report) {
  for (const auto& [school, tally] : batch.schools) {
    PromotionTally& into = report.schools[school];
    into.promoted += tally.promoted;
    into.graduated += tally.graduated;
    into.held += tally.held;
  }
}

void AddUpTotal(PromotionReport& report) {
  for (const auto& [school, tally] : report.schools) {
    report.total.promoted += tally.promoted;
    report.total.graduated += tally.graduated;
    report.total.held += tally.held;
  }
}

// Phase 1 (id ranges): the final grades of the year graduate, unless held back. Phase 2
// (batches of schools): each school not yet promoted in the year is. A school is promoted
// only after its graduates have gone, so a run killed anywhere and run again graduates
// nobody a year early and promotes nobody twice.
Status RunPromotion(db::Database& db, const Clock& clock, const PromotionOptions& options,
                    const std::function<void(int64_t, int64_t)>& progress,
                    PromotionReport& report) {
  NEMIS_ASSIGN_OR_RETURN(IdSpan span, db.Read<IdSpan>(IdRange));
  NEMIS_ASSIGN_OR_RETURN(auto schools, db.Read<std::vector<int64_t>>([&](db::Connection& c) {
    return SchoolsDue(c, options);
  }));
  const std::string now = FormatUtc(clock.Now());
  const std::string today = clock.TodayInChina().ToIso();
  const std::string ref = "promotion:" + std::to_string(options.year);
  MoversBySchool movers;
  const int64_t id_count = span.last - span.before_first;
  const int64_t total = id_count + static_cast<int64_t>(schools.size());
  const auto interrupted = [&options](bool more) {
    return options.stop && options.stop->load() && more;
  };
  const auto since = [start = std::chrono::steady_clock::now()] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  for (int64_t lo = span.before_first; lo < span.last; lo += options.batch_ids) {
    const int64_t hi = std::min(lo + options.batch_ids, span.last);
    const std::string bounds =  // integers: safe to write into the statement
        "s.id > " + std::to_string(lo) + " AND s.id <= " + std::to_string(hi) + " AND ";
    MoversBySchool batch_movers;
    PromotionReport batch;  // counted again if the store retries the transaction
    NEMIS_TRY(db.WithWriter([&](db::Connection& c) {
      batch_movers.clear();
      batch = {};
      return GraduateBatch(c, options, bounds, ref, today, now, batch_movers, batch);
    }));
    for (const auto& [school, n] : batch_movers) movers[school] += n;
    AddTallies(batch, report);
    if (progress) progress(hi - span.before_first, total);
    if (interrupted(true))
      return Error::Unavailable("升级已中断（节点停止）；再次运行将从中断处继续");
  }
  report.graduation_seconds = since();
  for (size_t from = 0; from < schools.size(); from += kSchoolsPerBatch) {
    const size_t n = std::min<size_t>(kSchoolsPerBatch, schools.size() - from);
    const auto batch = std::span<const int64_t>(schools).subspan(from, n);
    PromotionReport promoted;
    NEMIS_TRY(db.WithWriter([&](db::Connection& c) {
      promoted = {};
      return PromoteSchools(c, options, batch, now, movers, promoted);
    }));
    AddTallies(promoted, report);
    if (progress) progress(id_count + static_cast<int64_t>(from + n), total);
    if (interrupted(from + n < schools.size()))
      return Error::Unavailable("升级已中断（节点停止）；再次运行将从中断处继续");
  }
  report.promotion_seconds = since() - report.graduation_seconds;
  return {};
}

}  // namespace

Result<PromotionReport> GraduateIn(db::Connection& c, const Clock& clock,
                                   const PromotionOptions& options, std::string_view approval_ref) {
  PromotionReport report;
  report.dry_run = options.dry_run;
  if (options.dry_run)
    NEMIS_TRY(CountGraduates(c, options, "", report));
  else
    NEMIS_TRY(GraduateWithin(c, options, "", std::string(approval_ref),
                             clock.TodayInChina().ToIso(), FormatUtc(clock.Now()), report));
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
    NEMIS_TRY(RunPromotion(db, clock, options, progress, report));
  }
  AddUpTotal(report);
  return report;
}

}  // namespace nemis::registry
