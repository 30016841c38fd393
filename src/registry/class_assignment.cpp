#include "registry/class_assignment.hpp"

#include <algorithm>
#include <set>
#include <span>

#include "base/text.hpp"
#include "db/change_log.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_lock.hpp"
#include "registry/text_fields.hpp"
#include "workflow/case_store.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kFind =
    "SELECT id, school_id, school_code, county_code, city_code, province_code, class_no, status "
    "FROM student WHERE number_index = $1";
// Only a student still in school and not in its class already: a rerun changes nothing.
constexpr std::string_view kAssign =
    "UPDATE student SET class_no = $1, version = version + 1, updated_at = $2 "
    "WHERE id = $3 AND class_no <> $1 AND status IN ('01', '05')";

// A checked row: the student, its school and the class it goes to.
struct Placement {
  int64_t id = 0;
  std::string school_code;
  std::string class_no;
  bool unchanged = false;
};

// Where row `i` places its student, or a refusal added to `errors`. A student outside the
// scope is as unknown as one that does not exist.
Result<std::optional<Placement>> Place(db::Connection& c, const crypto::FieldCipher& cipher,
                                       const org::Scope& scope, size_t i,
                                       const ClassAssignmentEntry& e,
                                       std::vector<FieldError>& errors) {
  const std::string number(TrimSpaces(e.student_number));
  const std::string index = NumberIndex(cipher, number);
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kFind, {index}));
  org::Institution school;
  if (!rs.empty()) {
    const db::Row& row = rs.rows[0];
    school.id = row.Int(1);
    school.code = row.Text(2);
    school.county_code = row.OptText(3);
    school.city_code = row.OptText(4);
    school.province_code = row.OptText(5);
  }
  if (rs.empty() || !scope.Contains(school)) {
    errors.push_back(
        ListRowError(i, "studentNumber", "not_found", "无此学籍号的学生，或不在您的管辖范围内"));
    return std::optional<Placement>();
  }
  const db::Row& row = rs.rows[0];
  const std::string status = row.Text(7);
  if (status != "01" && status != "05") {
    errors.push_back(ListRowError(i, "studentNumber", "not_in_school",
                                  "该生不在校（学籍状态 " + status + "），不能分班"));
    return std::optional<Placement>();
  }
  NEMIS_ASSIGN_OR_RETURN(bool open,
                         workflow::CaseStore::HasOpen(c, StudentSubject(cipher, number), ""));
  if (open) {
    errors.push_back(
        ListRowError(i, "studentNumber", "case_pending", "该生有在办的审批案件，须先办结"));
    return std::optional<Placement>();
  }
  const std::string class_no(TrimSpaces(e.class_no));
  return std::optional<Placement>(
      Placement{row.Int(0), school.code, class_no, row.Text(6) == class_no});
}

Result<std::vector<Placement>> CheckList(db::Database& db, const crypto::FieldCipher& cipher,
                                         const org::Scope& scope,
                                         const std::vector<ClassAssignmentEntry>& rows) {
  if (rows.empty() || rows.size() > kMaxClassAssignmentRows)
    return Error::Invalid(
        {{"students", rows.empty() ? "required" : "too_many",
          "分班名单须有 1 至 " + std::to_string(kMaxClassAssignmentRows) + " 名学生"}},
        "分班名单为空或过长");
  return db.Read<std::vector<Placement>>([&](db::Connection& c) -> Result<std::vector<Placement>> {
    std::vector<FieldError> errors;
    std::vector<Placement> placements;
    std::set<std::string> seen;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!CheckListRow(i, rows[i].student_number, rows[i].class_no, seen, errors)) continue;
      NEMIS_ASSIGN_OR_RETURN(auto p, Place(c, cipher, scope, i, rows[i], errors));
      if (p) placements.push_back(std::move(*p));
    }
    if (!errors.empty()) return Error::Invalid(std::move(errors), "分班名单有误，未调整任何学生");
    return placements;
  });
}

// Writes one batch; returns the placements it changed (a student moved meanwhile, or in its
// class already, is left as it is).
Result<std::vector<bool>> WriteBatch(db::Database& db, std::span<const Placement> batch,
                                     const std::string& now) {
  return db.Write<std::vector<bool>>([&](db::Connection& c) -> Result<std::vector<bool>> {
    std::vector<bool> changed;
    std::vector<int64_t> ids;
    for (const Placement& p : batch) {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kAssign, {p.class_no, now, p.id}));
      changed.push_back(rs.affected == 1);
      if (rs.affected == 1) ids.push_back(p.id);
    }
    NEMIS_TRY(db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now));
    return changed;
  });
}

void Count(ClassAssignmentReport& report, const Placement& p, bool assigned) {
  for (ClassTally* tally : {&report.schools[p.school_code], &report.total})
    ++(assigned ? tally->assigned : tally->unchanged);
}

}  // namespace

Result<ClassAssignmentReport> AssignClasses(db::Database& db, const crypto::FieldCipher& cipher,
                                            const Clock& clock, const org::Scope& scope,
                                            const ClassAssignmentRequest& request,
                                            size_t batch_rows) {
  NEMIS_ASSIGN_OR_RETURN(std::vector<Placement> placements,
                         CheckList(db, cipher, scope, request.students));
  ClassAssignmentReport report;
  report.dry_run = request.dry_run;
  if (request.dry_run) {
    for (const Placement& p : placements) Count(report, p, !p.unchanged);
    return report;
  }
  const std::string now = FormatUtc(clock.Now());
  const std::span<const Placement> all(placements);
  batch_rows = std::max<size_t>(batch_rows, 1);
  for (size_t at = 0; at < all.size(); at += batch_rows) {
    auto batch = all.subspan(at, std::min(batch_rows, all.size() - at));
    NEMIS_ASSIGN_OR_RETURN(std::vector<bool> changed, WriteBatch(db, batch, now));
    for (size_t i = 0; i < batch.size(); ++i) Count(report, batch[i], changed[i]);
  }
  return report;
}

}  // namespace nemis::registry
