#include "exchange/transfer_handover.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "base/log.hpp"
#include "codes/division.hpp"
#include "crypto/encoding.hpp"
#include "db/change_log.hpp"
#include "exchange/exchange_actor.hpp"
#include "org/authority.hpp"
#include "org/org_store.hpp"
#include "registry/personal_mask.hpp"
#include "registry/status_change.hpp"
#include "registry/student_lock.hpp"
#include "registry/student_replica.hpp"
#include "registry/transfer_arrival.hpp"
#include "registry/transfer_external.hpp"
#include "registry/transfer_lookup.hpp"
#include "workflow/definition_catalog.hpp"
#include "workflow/external_party.hpp"

namespace nemis::exchange {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kWaitingRequests =
    "SELECT e.case_id, e.node, e.person, w.details FROM external_transfer e "
    "JOIN wf_case w ON w.id = e.case_id WHERE e.national_id IS NULL AND e.state = 'waiting' "
    "AND w.status = 'open' AND w.waiting_org = e.node ORDER BY e.case_id";
// A case closed without a verdict (another case about the student closed it) is refused.
constexpr std::string_view kUnreportedVerdicts =
    "SELECT o.national_id, o.student_id, o.verdict, o.comment, o.asked_at "
    "FROM exchange_transfer_out o "
    "LEFT JOIN wf_case w ON w.id = o.case_id WHERE o.reported_at IS NULL "
    "AND (o.verdict IS NOT NULL OR w.status <> 'open') ORDER BY o.national_id";
constexpr std::string_view kWithdrawals =
    "SELECT case_id, withdrawal FROM external_transfer WHERE state = 'waiting' "
    "AND withdrawal IS NOT NULL ORDER BY case_id";
// The sending cases still open, with the progress the national node last took of each.
constexpr std::string_view kOpenOutCases =
    "SELECT o.national_id, o.progress_told, w.type, w.step, w.step_started_on, w.due_on "
    "FROM exchange_transfer_out o JOIN wf_case w ON w.id = o.case_id "
    "WHERE o.verdict IS NULL AND w.status = 'open' ORDER BY o.national_id";
constexpr std::string_view kProgressTaken =
    "UPDATE exchange_transfer_out SET progress_told = $2 WHERE national_id = $1";
constexpr std::string_view kUnreportedCompletions =
    "SELECT national_id FROM external_transfer WHERE state = 'completed' AND reported_at IS NULL "
    "ORDER BY national_id";
constexpr std::string_view kVerdictTaken =
    "UPDATE exchange_transfer_out SET reported_at = $2, verdict = COALESCE(verdict, 'refused'), "
    "comment = $3 WHERE national_id = $1 AND reported_at IS NULL";
constexpr std::string_view kCompletionTaken =
    "UPDATE external_transfer SET reported_at = $2 WHERE national_id = $1";

constexpr std::string_view kKnownOut =
    "SELECT case_id, verdict FROM exchange_transfer_out WHERE national_id = $1";
constexpr std::string_view kRecordOut =
    "INSERT INTO exchange_transfer_out (national_id, case_id, student_id, verdict, comment, "
    "decided_at, created_at, asked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kOutOfCase =
    "SELECT national_id FROM exchange_transfer_out WHERE case_id = $1";
constexpr std::string_view kDecide =
    "UPDATE exchange_transfer_out SET verdict = $2, comment = $3, decided_at = $4 "
    "WHERE case_id = $1";
// The grade now is kept with the status that stops its promotions (current_grade.hpp).
constexpr std::string_view kRelease =
    "UPDATE student SET status = '10', grade = $2, grade_mark = $3, version = version + 1, "
    "updated_at = $4 WHERE id = $1";

constexpr std::string_view kMine =
    "SELECT e.state, e.national_id, e.node, w.status, w.version, w.details "
    "FROM external_transfer e JOIN wf_case w ON w.id = e.case_id WHERE e.case_id = $1";
constexpr std::string_view kSetNationalId =
    "UPDATE external_transfer SET national_id = $2 WHERE case_id = $1 AND national_id IS NULL";
constexpr std::string_view kSetState = "UPDATE external_transfer SET state = $2 WHERE case_id = $1";
constexpr std::string_view kSetProgress =
    "UPDATE external_transfer SET progress = $2 WHERE case_id = $1 AND state = 'waiting' "
    "AND (progress IS NULL OR progress <> $2)";

// Telling the national node again what it forgot (SyncTransfers).
constexpr std::string_view kRetellVerdict =
    "UPDATE exchange_transfer_out SET reported_at = NULL WHERE national_id = $1 AND asked_at = $2 "
    "AND reported_at IS NOT NULL";
constexpr std::string_view kTakenRequests =
    "SELECT case_id, national_id FROM external_transfer WHERE state = 'waiting' "
    "AND national_id IS NOT NULL";
constexpr std::string_view kRetellRequest =
    "UPDATE external_transfer SET national_id = NULL WHERE case_id = $1 AND state = 'waiting'";
constexpr std::string_view kRetellCompletion =
    "UPDATE external_transfer SET reported_at = NULL WHERE national_id = $1 "
    "AND state = 'completed' AND reported_at IS NOT NULL";

// 学生当前状态码 in school: 01 在读, 05 复学.
bool InSchool(const registry::Student& s) {
  return s.enrolment.status == "01" || s.enrolment.status == "05";
}

std::string ProvinceName(const std::string& code6) {
  const codes::Division* d = codes::FindDivision(code6);
  return d != nullptr ? std::string(d->name) : code6;
}

Result<Json> OpenPerson(const crypto::FieldCipher& cipher, const std::string& sealed) {
  NEMIS_ASSIGN_OR_RETURN(std::string bytes, crypto::Base64UrlDecode(sealed));
  NEMIS_ASSIGN_OR_RETURN(std::string text, cipher.Open(bytes));
  return Json::parse(text, nullptr, false);
}

// ----- what goes to the national node -----

Result<TransferAsk> AskOf(const crypto::FieldCipher& cipher, const db::Row& row) {
  NEMIS_ASSIGN_OR_RETURN(Json person, OpenPerson(cipher, row.Text(2)));
  const Json details = Json::parse(row.Text(3), nullptr, false);
  const Json to = details.is_object() ? details.value("to", Json::object()) : Json::object();
  TransferAsk a;
  a.case_id = row.Int(0);
  a.from_province = row.Text(1).substr(workflow::kExternalPartyPrefix.size()) + "0000";
  a.student_number = person.value("studentNumber", "");
  a.name = person.value("name", "");
  a.to_school = to.value("school", "");
  a.to_school_name = to.value("schoolName", "");
  a.grade = to.value("grade", 0);
  a.class_no = to.value("class", "");
  a.reason = details.value("reason", "");
  a.date = details.value("date", "");
  return a;
}

Result<TransferVerdict> VerdictOf(db::Connection& c, const crypto::FieldCipher& cipher,
                                  const db::Row& row) {
  TransferVerdict v{row.Int(0), row.IsNull(2) ? "refused" : row.Text(2), row.Text(3), std::nullopt,
                    row.Text(4)};
  if (row.IsNull(2)) v.comment = "转出省已关闭该案件（该生学籍已另有变动）";
  if (v.verdict == "released") {
    const int64_t id = row.Int(1);
    NEMIS_ASSIGN_OR_RETURN(
        auto found, registry::LoadStudentsForExchange(c, cipher, std::span<const int64_t>(&id, 1)));
    if (found.empty()) return Error::Internal("released student " + std::to_string(id) + " gone");
    v.student = std::move(found[0]);
  }
  return v;
}

// The progress of the open sending case of `row` (kOpenOutCases), or none when the national
// node has it already.
std::optional<TransferProgress> ProgressToTell(const db::Row& row) {
  const workflow::WorkflowDefinition* d = workflow::DefinitionCatalog::Builtin().Find(row.Text(2));
  const int step = static_cast<int>(row.Int(3));
  if (d == nullptr || step < 0 || step >= static_cast<int>(d->steps.size())) return std::nullopt;
  TransferProgress p{row.Int(0),
                     step,
                     static_cast<int>(d->steps.size()),
                     d->steps[static_cast<size_t>(step)].name,
                     row.Text(4),
                     row.Text(5)};
  if (!row.IsNull(1) && row.Text(1) == ProgressToText(p)) return std::nullopt;
  return p;
}

// ----- sending: a transfer asked of this province -----

struct Handing {
  db::Connection& c;
  const crypto::FieldCipher& cipher;
  workflow::CaseStore& cases;
  std::string now;
  Date today;
};

// Why the transfer cannot be asked of anyone here, or "" when the case may open.
Result<std::string> RefusalHere(db::Connection& c, const std::optional<registry::Student>& s,
                                const TransferAsk& a, const std::string& subject) {
  if (!s || s->name != a.name) return std::string("转出省未找到学籍号与姓名相符的学生");
  if (!InSchool(*s)) return "该生在转出省不在读（学籍状态 " + s->enrolment.status + "）";
  NEMIS_ASSIGN_OR_RETURN(bool pending, workflow::CaseStore::HasOpen(c, subject, "transfer."));
  if (pending) return std::string("该生在转出省已有在办的转学申请");
  return std::string();
}

std::string OutDetails(const registry::Student& s, const org::Institution& school,
                       const IncomingTransfer& t) {
  const TransferAsk& a = t.ask;
  return Json{{"student",
               {{"number", registry::MaskStudentNumberForRecords(s.student_number)},
                {"name", registry::MaskName(s.name)},
                {"gender", s.gender}}},
              {"stage", s.enrolment.stage},
              {"from",
               {{"school", school.code},
                {"schoolName", school.name},
                {"grade", s.enrolment.grade},
                {"class", s.enrolment.class_no}}},
              {"to",
               {{"school", a.to_school},
                {"schoolName", a.to_school_name + "（" + ProvinceName(t.to_province) + "）"},
                {"province", t.to_province},
                {"grade", a.grade},
                {"class", a.class_no}}},
              {"reason", a.reason},
              {"date", a.date},
              {"external", true}}
      .dump();
}

// Whether `s` left this province (status 10) for the school `t` asks it for, by its last status
// change: then the national node forgot the release with the first request of it.
Result<bool> ReleasedBeforeTo(Handing& h, const registry::Student& s, const TransferAsk& a) {
  if (s.name != a.name || s.enrolment.status != "10") return false;
  NEMIS_ASSIGN_OR_RETURN(auto changes, registry::LoadStatusChanges(h.c, s.id));
  return !changes.empty() && changes.back().type == "21" && changes.back().to_school == a.to_school;
}

// What became of a transfer asked of this province.
enum class Asked { kHandledBefore, kCaseOpened, kRefused, kReleasedAgain, kWithdrawn };

std::string WithdrawnBecause(const IncomingTransfer& t) {
  return "转入方撤回了转学申请：" + t.withdrawal;
}

// The receiving school withdrew `t`, known here as `known` (kKnownOut): its case closes unless
// it was decided (a release stands: the student is enrolled there as released).
Result<Asked> WithdrawKnown(Handing& h, const IncomingTransfer& t, const db::Row& known) {
  if (!known.IsNull(1) || known.IsNull(0)) return Asked::kHandledBefore;
  NEMIS_ASSIGN_OR_RETURN(bool closed,
                         h.cases.Close(h.c, ExchangeActor(), known.Int(0), WithdrawnBecause(t)));
  if (!closed) return Asked::kHandledBefore;  // closed by another change: refused as such
  NEMIS_TRY(h.c.Query(kDecide, {known.Int(0), "withdrawn", WithdrawnBecause(t), h.now}));
  return Asked::kWithdrawn;
}

// Opens the case for `t`, or refuses it at once, or releases again a student released before;
// withdrawn, closes its case or records it withdrawn without one.
Result<Asked> OpenOutCase(Handing& h, const IncomingTransfer& t) {
  NEMIS_ASSIGN_OR_RETURN(auto known, h.c.Query(kKnownOut, {t.id}));
  if (!known.rows.empty())
    return t.withdrawal.empty() ? Asked::kHandledBefore : WithdrawKnown(h, t, known.rows[0]);
  const std::string subject = registry::StudentSubject(h.cipher, t.ask.student_number);
  NEMIS_ASSIGN_OR_RETURN(auto student, registry::LoadSubjectForUpdate(h.c, h.cipher, subject));
  if (student) {
    NEMIS_ASSIGN_OR_RETURN(bool released, ReleasedBeforeTo(h, *student, t.ask));
    if (released) {
      NEMIS_TRY(h.c.Query(kRecordOut,
                          {t.id, db::Param(), student->id, "released", "", h.now, h.now, t.since}));
      return Asked::kReleasedAgain;
    }
  }
  if (!t.withdrawal.empty()) {
    NEMIS_TRY(h.c.Query(kRecordOut, {t.id, db::Param(), db::Param(), "withdrawn",
                                     WithdrawnBecause(t), h.now, h.now, t.since}));
    return Asked::kWithdrawn;
  }
  NEMIS_ASSIGN_OR_RETURN(std::string refusal, RefusalHere(h.c, student, t.ask, subject));
  std::optional<org::Institution> school;
  if (refusal.empty()) {
    NEMIS_ASSIGN_OR_RETURN(school, org::OrgStore::Load(h.c, student->enrolment.school_code));
    if (!school) refusal = "该生所在学校未登记";
  }
  const db::Param student_id = student ? db::Param(student->id) : db::Param();
  if (!refusal.empty()) {
    NEMIS_TRY(h.c.Query(
        kRecordOut, {t.id, db::Param(), student_id, "refused", refusal, h.now, h.now, t.since}));
    return Asked::kRefused;
  }
  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(kTransferOutCaseType);
  if (definition == nullptr) return Error::Internal("no workflow transfer.external_out");
  const std::map<std::string, std::string> parties = {
      {"sending_school", school->code},
      {"sending_county", org::CountyAuthorityOf(*school)},
      {"sending_province", school->province_code.value_or("")}};
  NEMIS_ASSIGN_OR_RETURN(auto kase, h.cases.OpenIn(h.c, ExchangeActor(), *definition, subject,
                                                   parties, OutDetails(*student, *school, t)));
  NEMIS_TRY(h.c.Query(kRecordOut,
                      {t.id, kase.id, student_id, db::Param(), "", db::Param(), h.now, t.since}));
  return Asked::kCaseOpened;
}

// ----- receiving: where this province's request stands -----

Status Enrol(Handing& h, const TransferOutcome& o, const Json& details) {
  const Json to = details.value("to", Json::object());
  NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(h.c, to.value("school", "")));
  if (!school) return Error::Conflict("unknown_school", "转入学校已不在本节点");
  registry::Arrival arrival{o.case_id,
                            to.value("grade", 0),
                            to.value("class", ""),
                            details.value("reason", ""),
                            details.value("date", ""),
                            h.today.ToIso(),
                            h.now};
  NEMIS_TRY(registry::EnrolArrivingStudent(h.c, h.cipher, *o.student, *school, arrival));
  return {};
}

// Carries out `o`; returns what it did ("enrolled", "refused", "withdrawn" or "").
Result<std::string> TakeOutcome(Handing& h, const TransferOutcome& o) {
  NEMIS_ASSIGN_OR_RETURN(auto rows, h.c.Query(kMine, {o.case_id}));
  if (rows.rows.empty()) return std::string();  // not a case of this node
  const db::Row& mine = rows.rows[0];
  NEMIS_TRY(h.c.Query(kSetNationalId, {o.case_id, o.id}));
  if (o.progress) NEMIS_TRY(h.c.Query(kSetProgress, {o.case_id, ProgressToText(*o.progress)}));
  if (mine.Text(0) != "waiting") return std::string();
  if (o.state == "withdrawn") {
    NEMIS_TRY(h.cases.Close(h.c, ExchangeActor(mine.Text(2)), o.case_id,
                            "转出省节点已确认撤回：" + o.comment));
    NEMIS_TRY(h.c.Query(kSetState, {o.case_id, "withdrawn"}));
    return std::string("withdrawn");
  }
  if (o.state != "released" && o.state != "refused") return std::string();
  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(registry::kExternalTransferType);
  if (definition == nullptr) return Error::Internal("no workflow transfer.external_in");
  const bool open = mine.Text(3) == "open";
  const workflow::Actor node = ExchangeActor(mine.Text(2));
  if (o.state == "refused") {
    if (open)
      NEMIS_TRY(h.cases.ActIn(h.c, node, *definition, o.case_id, workflow::CaseAction::kReject,
                              mine.Int(4), o.comment.empty() ? "转出省未同意转学" : o.comment));
    NEMIS_TRY(h.c.Query(kSetState, {o.case_id, "refused"}));
    return std::string("refused");
  }
  // Released there: the student is enrolled here whatever became of the case, or lost.
  NEMIS_TRY(Enrol(h, o, Json::parse(mine.Text(5), nullptr, false)));
  if (open)
    NEMIS_TRY(h.cases.ActIn(h.c, node, *definition, o.case_id, workflow::CaseAction::kApprove,
                            mine.Int(4), "转出省已审核通过，学生已转入"));
  NEMIS_TRY(h.c.Query(kSetState, {o.case_id, "completed"}));
  return std::string("enrolled");
}

// What the national node's answer shows it forgot, marked to be told again (the header says
// what); how many items.
Result<int> MarkForgotten(db::Connection& c, const TransferAnswer& answer) {
  int retold = 0;
  for (const IncomingTransfer& t : answer.incoming) {
    NEMIS_ASSIGN_OR_RETURN(auto again, c.Query(kRetellVerdict, {t.id, t.since}));
    retold += static_cast<int>(again.affected);
  }
  std::set<int64_t> told;
  for (const TransferOutcome& o : answer.outcomes) {
    told.insert(o.id);
    if (o.state != "released") continue;
    NEMIS_ASSIGN_OR_RETURN(auto again, c.Query(kRetellCompletion, {o.id}));
    retold += static_cast<int>(again.affected);
  }
  NEMIS_ASSIGN_OR_RETURN(auto taken, c.Query(kTakenRequests, {}));
  for (const db::Row& row : taken.rows) {
    if (told.contains(row.Int(1))) continue;
    NEMIS_ASSIGN_OR_RETURN(auto again, c.Query(kRetellRequest, {row.Int(0)}));
    retold += static_cast<int>(again.affected);
  }
  return retold;
}

void LogFailure(const char* what, int64_t id, const Error& e) {
  log::Warn("exchange_transfer_failed",
            {{"transfer", id}, {"step", what}, {"code", e.code}, {"message", e.message}});
}

}  // namespace

Result<TransferPost> PendingTransferPost(db::Database& db, const crypto::FieldCipher& cipher) {
  return db.Read<TransferPost>([&](db::Connection& c) -> Result<TransferPost> {
    TransferPost post;
    NEMIS_ASSIGN_OR_RETURN(auto requests, c.Query(kWaitingRequests, {}));
    for (const db::Row& row : requests.rows) {
      NEMIS_ASSIGN_OR_RETURN(TransferAsk ask, AskOf(cipher, row));
      post.requests.push_back(std::move(ask));
    }
    NEMIS_ASSIGN_OR_RETURN(auto withdrawals, c.Query(kWithdrawals, {}));
    for (const db::Row& row : withdrawals.rows)
      post.withdrawals.push_back({row.Int(0), row.Text(1)});
    NEMIS_ASSIGN_OR_RETURN(auto verdicts, c.Query(kUnreportedVerdicts, {}));
    for (const db::Row& row : verdicts.rows) {
      NEMIS_ASSIGN_OR_RETURN(TransferVerdict v, VerdictOf(c, cipher, row));
      post.verdicts.push_back(std::move(v));
    }
    NEMIS_ASSIGN_OR_RETURN(auto open, c.Query(kOpenOutCases, {}));
    for (const db::Row& row : open.rows)
      if (auto progress = ProgressToTell(row)) post.progress.push_back(std::move(*progress));
    NEMIS_ASSIGN_OR_RETURN(auto completions, c.Query(kUnreportedCompletions, {}));
    for (const db::Row& row : completions.rows) post.completions.push_back(row.Int(0));
    return post;
  });
}

Status MarkTransferPostTaken(db::Database& db, const TransferPost& post, std::string_view now) {
  if (post.verdicts.empty() && post.completions.empty() && post.progress.empty()) return {};
  return db.WithWriter([&](db::Connection& c) -> Status {
    for (const TransferVerdict& v : post.verdicts)
      NEMIS_TRY(c.Query(kVerdictTaken, {v.id, now, v.comment}));
    for (const TransferProgress& p : post.progress)
      NEMIS_TRY(c.Query(kProgressTaken, {p.id, ProgressToText(p)}));
    for (int64_t id : post.completions) NEMIS_TRY(c.Query(kCompletionTaken, {id, now}));
    return {};
  });
}

Result<TransferSyncReport> SyncTransfers(db::Database& db, const crypto::FieldCipher& cipher,
                                         workflow::CaseStore& cases, const TransferAnswer& answer,
                                         const Clock& clock) {
  TransferSyncReport report;
  const std::string now = FormatUtc(clock.Now());
  const Date today = clock.TodayInChina();
  for (const IncomingTransfer& t : answer.incoming) {
    auto opened = db.Write<Asked>([&](db::Connection& c) {
      Handing h{c, cipher, cases, now, today};
      return OpenOutCase(h, t);
    });
    if (!opened.ok()) {
      LogFailure("open", t.id, opened.error());
      ++report.failed;
    } else if (*opened == Asked::kCaseOpened) {
      ++report.opened;
    } else if (*opened == Asked::kRefused) {
      ++report.refused_here;
    } else if (*opened == Asked::kReleasedAgain) {
      ++report.retold;
    } else if (*opened == Asked::kWithdrawn) {
      ++report.closed_on_withdrawal;
    }
  }
  for (const TransferOutcome& o : answer.outcomes) {
    auto taken = db.Write<std::string>([&](db::Connection& c) {
      Handing h{c, cipher, cases, now, today};
      return TakeOutcome(h, o);
    });
    if (!taken.ok()) {
      LogFailure("receive", o.id, taken.error());
      ++report.failed;
    } else if (*taken == "enrolled") {
      ++report.enrolled;
    } else if (*taken == "refused") {
      ++report.refused;
    } else if (*taken == "withdrawn") {
      ++report.withdrawn;
    }
  }
  NEMIS_ASSIGN_OR_RETURN(
      int forgotten, db.Write<int>([&](db::Connection& c) { return MarkForgotten(c, answer); }));
  report.retold += forgotten;
  if (report.retold > 0) log::Warn("exchange_transfer_retold", {{"items", report.retold}});
  return report;
}

Status OnTransferOutCaseEnd(db::Connection& c, const crypto::FieldCipher& cipher,
                            workflow::CaseStore& cases, const workflow::ApprovalCase& kase,
                            const Clock& clock) {
  NEMIS_ASSIGN_OR_RETURN(auto out, c.Query(kOutOfCase, {kase.id}));
  if (out.rows.empty()) return Error::Internal("case " + std::to_string(kase.id) + " not relayed");
  const std::string now = FormatUtc(clock.Now());
  if (kase.status != workflow::CaseStatus::kApproved) {
    const std::string why = kase.history.empty() ? "" : kase.history.back().reason;
    const std::string comment = kase.status == workflow::CaseStatus::kRejected
                                    ? "转出省未同意转学：" + why
                                    : "转出省撤销了该案件：" + why;
    NEMIS_TRY(c.Query(kDecide, {kase.id, "refused", comment, now}));
    return {};
  }
  const Json details = Json::parse(kase.details, nullptr, false);
  const Json from = details.value("from", Json::object()), to = details.value("to", Json::object());
  NEMIS_ASSIGN_OR_RETURN(auto student, registry::LoadSubjectForUpdate(c, cipher, kase.subject));
  if (!student || student->enrolment.school_code != from.value("school", "") || !InSchool(*student))
    return Error::Conflict("transfer_stale", "该生已不在转出学校就读，不能放行，请驳回");
  const registry::Enrolment& e = student->enrolment;
  NEMIS_TRY(c.Query(kRelease, {student->id, e.grade, e.grade_mark, now}));
  registry::StatusChange change;
  change.type = "21";  // 转学(转出)
  change.change_date = details.value("date", clock.TodayInChina().ToIso());
  change.reason = details.value("reason", "");
  change.approved_on = clock.TodayInChina().ToIso();
  change.approval_ref = "case:" + std::to_string(kase.id);
  change.case_id = kase.id;
  change.from_school = e.school_code;
  change.to_school = to.value("school", "");
  change.from_grade = e.grade;
  change.to_grade = to.value("grade", e.grade);
  change.from_class = e.class_no;
  change.to_class = to.value("class", "");
  change.status_before = e.status;
  change.status_after = "10";
  change.recorded_at = now;
  NEMIS_TRY(registry::RecordStatusChange(c, student->id, change));
  NEMIS_TRY(cases.CloseOthers(c, ExchangeActor(), kase.subject, kase.id,
                              "该生已跨省转出（案件 " + std::to_string(kase.id) + "）"));
  const int64_t ids[] = {student->id};
  NEMIS_TRY(db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now));
  NEMIS_TRY(c.Query(kDecide, {kase.id, "released", "", now}));
  return {};
}

}  // namespace nemis::exchange
