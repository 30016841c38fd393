#include "exchange/conflict_cases.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "db/change_log.hpp"
#include "exchange/exchange_actor.hpp"
#include "registry/personal_mask.hpp"
#include "registry/status_change.hpp"
#include "registry/student_lock.hpp"
#include "registry/student_replica.hpp"
#include "registry/transfer_lookup.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::exchange {
namespace {

constexpr std::string_view kSchoolName = "SELECT name FROM org WHERE code = $1";
constexpr std::string_view kKnown = "SELECT 1 FROM exchange_conflict_case WHERE conflict_id = $1";
// A conflict the national node reports open without this province's verdict, though it took it
// (restored from a backup older than the verdict, or the resolution): told again, the outcome
// carried out here as the verdict when there was one. The outcome comes back with the
// resolution, which ends nothing twice (EndRegistration).
constexpr std::string_view kRetell =
    "UPDATE exchange_conflict_case SET verdict = CASE outcome WHEN 'kept' THEN 'keep' "
    "WHEN 'yielded' THEN 'yield' ELSE verdict END, reported_at = NULL, outcome = NULL, "
    "state = CASE WHEN outcome IS NULL THEN state ELSE 'open' END, updated_at = $2 "
    "WHERE conflict_id = $1 AND verdict IS NOT NULL AND reported_at IS NOT NULL";
constexpr std::string_view kRecord =
    "INSERT INTO exchange_conflict_case (conflict_id, case_id, student_id, state, created_at, "
    "updated_at) VALUES ($1, $2, $3, 'open', $4, $4)";
// What was settled here on a conflict the national node no longer reports (forgotten when it
// was restored from an older backup), its case's details naming the other registration: the
// outcome when it was resolved (the registration kept, or given up and ended), else the verdict.
constexpr std::string_view kDecidedBefore =
    "SELECT CASE e.outcome WHEN 'kept' THEN 'keep' WHEN 'yielded' THEN 'yield' "
    "ELSE e.verdict END, COALESCE(e.verdict_at, e.updated_at), e.case_id, w.details "
    "FROM exchange_conflict_case e JOIN wf_case w ON w.id = e.case_id WHERE e.student_id = $1 "
    "AND ((e.state = 'closed' AND e.verdict IS NOT NULL AND e.outcome IS NULL) "
    "OR e.state = 'resolved') ORDER BY e.updated_at DESC";
constexpr std::string_view kRecordDecided =
    "INSERT INTO exchange_conflict_case (conflict_id, case_id, student_id, state, verdict, "
    "verdict_at, created_at, updated_at) VALUES ($1, $2, $3, 'open', $4, $5, $6, $6)";
constexpr std::string_view kOpenCases =
    "SELECT conflict_id, case_id FROM exchange_conflict_case WHERE state = 'open'";
constexpr std::string_view kMarkClosed =
    "UPDATE exchange_conflict_case SET state = 'closed', updated_at = $2 WHERE conflict_id = $1";
constexpr std::string_view kUnresolved =
    "SELECT student_id, case_id FROM exchange_conflict_case WHERE conflict_id = $1 "
    "AND (outcome IS NULL)";
constexpr std::string_view kMarkOutcome =
    "UPDATE exchange_conflict_case SET state = 'resolved', outcome = $2, updated_at = $3 "
    "WHERE conflict_id = $1";
constexpr std::string_view kKeepVerdict =
    "UPDATE exchange_conflict_case SET verdict = $2, verdict_at = $3, reported_at = NULL, "
    "updated_at = $3 WHERE case_id = $1";
constexpr std::string_view kPending =
    "SELECT conflict_id, verdict FROM exchange_conflict_case WHERE verdict IS NOT NULL "
    "AND reported_at IS NULL AND outcome IS NULL ORDER BY conflict_id";
constexpr std::string_view kMarkReported =
    "UPDATE exchange_conflict_case SET reported_at = $3, updated_at = $3 WHERE conflict_id = $1 "
    "AND verdict = $2";
// The grade now is kept with the status that stops its promotions (current_grade.hpp).
constexpr std::string_view kEndRegistration =
    "UPDATE student SET status = '99', grade = $2, grade_mark = $3, version = version + 1, "
    "updated_at = $4 WHERE id = $1";
constexpr std::string_view kCancelChange = "18";  // 取消学籍

// What the case shows: this province's student as other cases show theirs (number and name
// masked: case details are kept in clear), its school and grade, and the other registration as
// the national view shows it.
Result<std::string> Details(db::Connection& c, const ConflictNotice& n,
                            const registry::Student& s) {
  const registry::Enrolment& e = s.enrolment;
  nlohmann::json j = NoticeToJson(n);
  j.erase("studentNumber");
  j["conflictId"] = j["id"];
  j.erase("id");
  j["student"] = {{"number", registry::MaskStudentNumberForRecords(s.student_number)},
                  {"name", registry::MaskName(s.name)},
                  {"gender", s.gender}};
  NEMIS_ASSIGN_OR_RETURN(auto school, c.Query(kSchoolName, {e.school_code}));
  j["school"] = {{"code", e.school_code},
                 {"name", school.rows.empty() ? "" : school.rows[0].Text(0)},
                 {"grade", e.grade},
                 {"class", e.class_no},
                 {"stage", e.stage}};
  return j.dump();
}

// The same conflict as one decided or resolved here that the national node forgot (restored from
// an older backup, it found the conflict again under a new id): the same side, the same other
// registration. Its verdict — or, resolved, its outcome (a registration given up then ended
// yields again) — is taken over, and goes to the national node with the next round, rather
// than asking the school and county to decide it again.
Result<bool> TakeOverVerdict(db::Connection& c, const ConflictNotice& n, int64_t student_id,
                             const std::string& now) {
  NEMIS_ASSIGN_OR_RETURN(auto decided, c.Query(kDecidedBefore, {student_id}));
  for (const db::Row& row : decided.rows) {
    const nlohmann::json details = nlohmann::json::parse(row.Text(3), nullptr, false);
    if (!details.is_object() || details.value("side", "") != n.side) continue;
    const nlohmann::json other = details.value("other", nlohmann::json::object());
    if (other.value("provinceCode", "") != n.other.province_code ||
        other.value("schoolCode", "") != n.other.school_code)
      continue;
    NEMIS_TRY(
        c.Query(kRecordDecided, {n.id, row.Int(2), student_id, row.Text(0), row.Text(1), now}));
    return true;
  }
  return false;
}

// Opens the case of one reported conflict unless it has one (or takes over the verdict of the
// same conflict decided here before, or tells again a verdict the national node forgot); false
// when the student is not here.
Result<bool> OpenCase(db::Connection& c, const crypto::FieldCipher& cipher,
                      workflow::CaseStore& cases, const ConflictNotice& n, const std::string& now,
                      bool& opened, bool& retold) {
  opened = retold = false;
  NEMIS_ASSIGN_OR_RETURN(auto known, c.Query(kKnown, {n.id}));
  if (!known.rows.empty()) {
    if (n.verdict.empty()) {
      NEMIS_ASSIGN_OR_RETURN(auto again, c.Query(kRetell, {n.id, now}));
      retold = again.affected > 0;
    }
    return true;
  }
  const std::string subject = registry::StudentSubject(cipher, n.student_number);
  NEMIS_ASSIGN_OR_RETURN(auto student, registry::LoadSubjectForUpdate(c, cipher, subject));
  if (!student) return false;
  NEMIS_ASSIGN_OR_RETURN(bool taken_over, TakeOverVerdict(c, n, student->id, now));
  if (taken_over) return true;
  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(kDuplicateCaseType);
  if (!definition) return Error::Internal("缺少流程定义 exchange.duplicate");
  const registry::Enrolment& e = student->enrolment;
  NEMIS_ASSIGN_OR_RETURN(std::string details, Details(c, n, *student));
  NEMIS_ASSIGN_OR_RETURN(
      workflow::ApprovalCase kase,
      cases.OpenIn(c, ExchangeActor(), *definition, subject,
                   {{"school", e.school_code}, {"county", e.county_code.value_or("")}}, details));
  NEMIS_TRY(c.Query(kRecord, {n.id, kase.id, student->id, now}));
  opened = true;
  return true;
}

// The registration given up for the other province's: ended, with its history saying why;
// any other case about it (a transfer, a status change) ends with it.
Status EndRegistration(db::Connection& c, const crypto::FieldCipher& cipher,
                       workflow::CaseStore& cases, int64_t student_id, int64_t case_id,
                       const std::string& winner, const std::string& now, Date today) {
  NEMIS_ASSIGN_OR_RETURN(auto found, registry::LoadStudentsForExchange(
                                         c, cipher, std::span<const int64_t>(&student_id, 1)));
  if (found.empty()) return {};
  const registry::Student& s = found[0];
  const registry::Enrolment& e = s.enrolment;
  if (e.status == "99") return {};  // ended before (the same outcome told again)
  NEMIS_TRY(c.Query(kEndRegistration, {student_id, e.grade, e.grade_mark, now}));
  registry::StatusChange change;
  change.type = std::string(kCancelChange);
  change.change_date = today.ToIso();  // a business date, in China
  change.approved_on = change.change_date;
  change.approval_ref = "case:" + std::to_string(case_id);
  change.case_id = case_id;
  change.reason = "跨省重复学籍，经核查由 " + winner + " 保留学籍（一人一号）";
  change.from_school = change.to_school = e.school_code;
  change.from_grade = change.to_grade = e.grade;
  change.from_class = change.to_class = e.class_no;
  change.status_before = e.status;
  change.status_after = "99";
  change.recorded_at = now;
  NEMIS_TRY(registry::RecordStatusChange(c, student_id, change));
  NEMIS_TRY(cases.CloseOthers(c, ExchangeActor(),
                              registry::StudentSubject(cipher, s.student_number), case_id,
                              "学籍已因跨省重复注销"));
  const int64_t ids[] = {student_id};
  return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now);
}

// The outcome of one conflict this node opened a case for, once.
// A case still open (the other province gave its registration up first) is closed with it.
Result<std::string> TakeOutcome(db::Connection& c, const crypto::FieldCipher& cipher,
                                workflow::CaseStore& cases, const ConflictOutcome& o,
                                std::string_view province, const std::string& now, Date today) {
  NEMIS_ASSIGN_OR_RETURN(auto rows, c.Query(kUnresolved, {o.id}));
  if (rows.rows.empty()) return std::string();
  const int64_t student_id = rows.rows[0].Int(0), case_id = rows.rows[0].Int(1);
  const bool kept = o.winner == province;
  NEMIS_TRY(cases.Close(
      c, ExchangeActor(), case_id,
      kept ? "国家节点已裁定：保留本省学籍" : "国家节点已裁定：由 " + o.winner + " 保留学籍"));
  if (!kept)
    NEMIS_TRY(EndRegistration(c, cipher, cases, student_id, case_id, o.winner, now, today));
  const std::string outcome = kept ? "kept" : "yielded";
  NEMIS_TRY(c.Query(kMarkOutcome, {o.id, outcome, now}));
  return outcome;
}

}  // namespace

Status OnDuplicateCaseEnd(db::Connection& c, const workflow::ApprovalCase& kase,
                          std::string_view now) {
  if (kase.status != workflow::CaseStatus::kApproved &&
      kase.status != workflow::CaseStatus::kRejected)
    return {};
  const std::string verdict = kase.status == workflow::CaseStatus::kApproved ? "keep" : "yield";
  NEMIS_TRY(c.Query(kKeepVerdict, {kase.id, verdict, std::string(now)}));
  return {};
}

Result<std::vector<ConflictVerdict>> PendingVerdicts(db::Database& db) {
  return db.Read<std::vector<ConflictVerdict>>(
      [](db::Connection& c) -> Result<std::vector<ConflictVerdict>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kPending));
        std::vector<ConflictVerdict> out;
        for (const db::Row& r : rs.rows) out.push_back({r.Int(0), r.Text(1)});
        return out;
      });
}

Status MarkVerdictsReported(db::Database& db, const std::vector<ConflictVerdict>& verdicts,
                            std::string_view now) {
  return db.WithWriter([&](db::Connection& c) -> Status {
    for (const ConflictVerdict& v : verdicts)
      NEMIS_TRY(c.Query(kMarkReported, {v.conflict_id, v.verdict, std::string(now)}));
    return {};
  });
}

Result<ConflictSyncReport> SyncConflictCases(db::Database& db, const crypto::FieldCipher& cipher,
                                             workflow::CaseStore& cases,
                                             const ReportedConflicts& reported,
                                             std::string_view province) {
  ConflictSyncReport report;
  const std::string now = FormatUtc(Clock::System().Now());
  const Date today = Clock::System().TodayInChina();
  std::set<int64_t> still_open;
  for (const ConflictNotice& n : reported.items) {
    still_open.insert(n.id);
    bool here = true, opened = false, retold = false;
    // A transaction per conflict: one student's trouble does not hold up the others'.
    NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(here, OpenCase(c, cipher, cases, n, now, opened, retold));
      return {};
    }));
    report.unknown += here ? 0 : 1;
    report.opened += opened ? 1 : 0;
    report.retold += retold ? 1 : 0;
  }
  for (const ConflictOutcome& o : reported.resolved) {
    std::string outcome;
    NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(outcome, TakeOutcome(c, cipher, cases, o, province, now, today));
      return {};
    }));
    report.kept += outcome == "kept" ? 1 : 0;
    report.yielded += outcome == "yielded" ? 1 : 0;
    still_open.insert(o.id);  // resolved, not gone: its case ended with the verdict
  }
  if (!reported.complete) return report;
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    report.closed = 0;
    NEMIS_ASSIGN_OR_RETURN(auto open, c.Query(kOpenCases));
    for (const db::Row& r : open.rows) {
      if (still_open.contains(r.Int(0))) continue;
      NEMIS_ASSIGN_OR_RETURN(bool closed, cases.Close(c, ExchangeActor(), r.Int(1),
                                                      "国家节点已不再报告此重复学籍（已处理）"));
      NEMIS_TRY(c.Query(kMarkClosed, {r.Int(0), now}));
      report.closed += closed ? 1 : 0;
    }
    return {};
  }));
  return report;
}

}  // namespace nemis::exchange
