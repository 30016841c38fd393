#include "exchange/conflict_cases.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "registry/student_lock.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::exchange {
namespace {

constexpr std::string_view kKnown = "SELECT 1 FROM exchange_conflict_case WHERE conflict_id = $1";
constexpr std::string_view kRecord =
    "INSERT INTO exchange_conflict_case (conflict_id, case_id, student_id, state, created_at, "
    "updated_at) VALUES ($1, $2, $3, 'open', $4, $4)";
constexpr std::string_view kOpenCases =
    "SELECT conflict_id, case_id FROM exchange_conflict_case WHERE state = 'open'";
constexpr std::string_view kMarkClosed =
    "UPDATE exchange_conflict_case SET state = 'closed', updated_at = $2 WHERE conflict_id = $1";

// The node itself opens and closes these cases: it may open at any school.
workflow::Actor NodeActor() {
  workflow::Actor a;
  a.account = "system:exchange";
  a.roles = "node";
  a.scope = "node";
  a.may = [](std::string_view, const org::Institution&) { return true; };
  return a;
}

// What the case shows of the conflict: the other registration as the national view shows it;
// not the student's number, which case details (kept in clear) must not hold.
std::string Details(const ConflictNotice& n) {
  nlohmann::json j = NoticeToJson(n);
  j.erase("studentNumber");
  j["conflictId"] = j["id"];
  j.erase("id");
  return j.dump();
}

// Opens the case of one reported conflict unless it has one; false when the student is not
// here.
Result<bool> OpenCase(db::Connection& c, const crypto::FieldCipher& cipher,
                      workflow::CaseStore& cases, const ConflictNotice& n,
                      const std::string& now, bool& opened) {
  opened = false;
  NEMIS_ASSIGN_OR_RETURN(auto known, c.Query(kKnown, {n.id}));
  if (!known.rows.empty()) return true;
  const std::string subject = registry::StudentSubject(cipher, n.student_number);
  NEMIS_ASSIGN_OR_RETURN(auto student, registry::LoadSubjectForUpdate(c, cipher, subject));
  if (!student) return false;
  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(kDuplicateCaseType);
  if (!definition) return Error::Internal("缺少流程定义 exchange.duplicate");
  const registry::Enrolment& e = student->enrolment;
  NEMIS_ASSIGN_OR_RETURN(
      workflow::ApprovalCase kase,
      cases.OpenIn(c, NodeActor(), *definition, subject,
                   {{"school", e.school_code}, {"county", e.county_code.value_or("")}},
                   Details(n)));
  NEMIS_TRY(c.Query(kRecord, {n.id, kase.id, student->id, now}));
  opened = true;
  return true;
}

}  // namespace

Result<ConflictSyncReport> SyncConflictCases(db::Database& db, const crypto::FieldCipher& cipher,
                                             workflow::CaseStore& cases,
                                             const ReportedConflicts& reported) {
  ConflictSyncReport report;
  const std::string now = FormatUtc(Clock::System().Now());
  std::set<int64_t> still_open;
  for (const ConflictNotice& n : reported.items) {
    still_open.insert(n.id);
    bool here = true, opened = false;
    // A transaction per conflict: one student's trouble does not hold up the others'.
    NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
      NEMIS_ASSIGN_OR_RETURN(here, OpenCase(c, cipher, cases, n, now, opened));
      return {};
    }));
    report.unknown += here ? 0 : 1;
    report.opened += opened ? 1 : 0;
  }
  if (!reported.complete) return report;
  NEMIS_TRY(db.WithWriter([&](db::Connection& c) -> Status {
    report.closed = 0;
    NEMIS_ASSIGN_OR_RETURN(auto open, c.Query(kOpenCases));
    for (const db::Row& r : open.rows) {
      if (still_open.contains(r.Int(0))) continue;
      NEMIS_ASSIGN_OR_RETURN(bool closed, cases.Close(c, NodeActor(), r.Int(1),
                                                      "国家节点已不再报告此重复学籍（已处理）"));
      NEMIS_TRY(c.Query(kMarkClosed, {r.Int(0), now}));
      report.closed += closed ? 1 : 0;
    }
    return {};
  }));
  return report;
}

}  // namespace nemis::exchange
