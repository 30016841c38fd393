#include "registry/pending_clearance.hpp"

#include "codes/stage.hpp"
#include "db/sql_builder.hpp"
#include "registry/current_grade.hpp"

namespace nemis::registry {
namespace {

// Open cases about students, with the student's school, stage and grade: driven from the
// open cases (few) into the student's number index.
// The grade is the grade now (current_grade.hpp).
const std::string& OpenStudentCasesSql() {
  static const std::string sql =
      "SELECT k.subject, s.school_code, s.stage, " + CurrentGradeSql(SchoolPromotionsSql()) +
      " FROM wf_case k JOIN student s ON s.number_index = substr(k.subject, 9) "
      "WHERE k.status = 'open' AND k.subject LIKE 'student:%'";
  return sql;
}

std::string MonthDay(Date d) {
  return std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

bool InGraduatingGrade(std::string_view stage_id, int grade) {
  auto stage = codes::ParseStage(stage_id);
  return stage && grade == codes::LastGrade(*stage);
}

Status CheckWindow(const ClearanceOptions& options, Date today) {
  const SchoolYearEnd end = options.calendar.Of(options.year);
  if (today < end.transfer_freeze || today > end.promotion_day)
    return Error::Refused("clearance_out_of_window",
                          std::to_string(options.year) + "年的在办业务清理只能在" +
                              MonthDay(end.transfer_freeze) + "至" + MonthDay(end.promotion_day) +
                              "（升级前）进行");
  return {};
}

}  // namespace

std::string ClearanceReason(int year) {
  return std::to_string(year) + "年毕业年级在办业务清理：案件关闭，学生学籍保持办理前状态";
}

Result<ClearanceReport> ClearGraduatingBusiness(db::Database& db, workflow::CaseStore& cases,
                                                const Clock& clock, const workflow::Actor& actor,
                                                const ClearanceOptions& options) {
  NEMIS_TRY(CheckWindow(options, clock.TodayInChina()));
  return db.Write<ClearanceReport>([&](db::Connection& c) -> Result<ClearanceReport> {
    ClearanceReport report;
    report.dry_run = options.dry_run;
    db::SqlBuilder sql(OpenStudentCasesSql());
    options.where.AddFilter(sql, org::ScopedTable::kStudent, "s");
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    std::map<std::string, std::string> schools_of;  // subject -> school code
    for (const auto& row : rs.rows) {
      if (!InGraduatingGrade(row.Text(2), static_cast<int>(row.Int(3)))) continue;
      schools_of.emplace(row.Text(0), row.Text(1));
      if (options.dry_run) {
        ++report.schools[row.Text(1)];
        ++report.cases;
      }
    }
    report.students = static_cast<int64_t>(schools_of.size());
    if (options.dry_run) return report;
    const std::string reason = ClearanceReason(options.year);
    for (const auto& [subject, school] : schools_of) {
      NEMIS_ASSIGN_OR_RETURN(int closed, cases.CloseOthers(c, actor, subject, 0, reason));
      report.schools[school] += closed;
      report.cases += closed;
    }
    return report;
  });
}

}  // namespace nemis::registry
