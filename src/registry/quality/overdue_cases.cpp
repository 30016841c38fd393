#include "registry/quality/overdue_cases.hpp"

#include "db/sql_builder.hpp"

namespace nemis::registry::quality {
namespace {

// Cases name their student by the blind index of its number (workflow/case_store.hpp).
constexpr std::string_view kOverdue =
    "SELECT k.id, k.type, k.due_on, s.id, s.school_id, s.school_code, s.province_code, "
    "s.county_code, s.city_code FROM wf_case k "
    "JOIN student s ON k.subject = 'student:' || s.number_index "
    "WHERE k.status = 'open' AND k.due_on < $1";

}  // namespace

Status FindOverdueCases(db::Database& db, const org::Scope& where, const Date& today,
                        ScanData& data) {
  const std::string day = today.ToIso();
  return db.WithReader([&](db::Connection& c) -> Status {
    db::SqlBuilder sql(kOverdue, {day});
    where.AddFilter(sql, org::ScopedTable::kStudent, "s");
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
    for (const auto& row : rs.rows) {
      Finding f;
      f.kind = ProblemKind::kOverdueCase;
      f.case_id = row.Int(0);
      f.student_id = row.Int(3);
      f.school_id = row.Int(4);
      f.details = R"({"caseType":")" + row.Text(1) + R"(","dueOn":")" + row.Text(2) + R"("})";
      data.findings.push_back(std::move(f));
      data.schools.try_emplace(
          row.Int(4), SchoolPlace{row.Text(5), row.Text(6), row.OptText(7), row.OptText(8)});
    }
    return {};
  });
}

}  // namespace nemis::registry::quality
