#include "workflow/case_store.hpp"

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>

#include "audit/audit_log.hpp"
#include "base/log.hpp"
#include "db/change_log.hpp"
#include "db/sql_builder.hpp"
#include "org/org_store.hpp"
#include "workflow/external_party.hpp"

namespace nemis::workflow {
namespace {

// A step's deadline. Deadlines tell who is late; no case should wait for a release: a
// year the node's calendar lacks (the State Council publishes it each November) is counted
// Monday to Friday, and the log says so once a year until the year is added
// (workflow.holiday_calendar_file).
Result<Date> DueDate(const WorkingCalendar& calendar, Date start, const WorkflowDefinition& d) {
  NEMIS_ASSIGN_OR_RETURN(Date due, calendar.AddWorkingDays(start, d.step_deadline_working_days,
                                                           MissingYear::kWeekdays));
  static std::atomic<int> warned_year{0};
  if (!calendar.Covers(due) && warned_year.exchange(due.year) != due.year)
    log::Warn("calendar_year_missing", {{"year", due.year},
                                        {"counted", "Monday to Friday"},
                                        {"setting", "workflow.holiday_calendar_file"}});
  return due;
}

constexpr std::string_view kEntity = "wf_case";
// Read from wf_case as k.
constexpr std::string_view kCaseColumns =
    "k.id, k.type, k.subject, k.status, k.step, k.version, k.opened_by, k.parties, k.details, "
    "k.opened_at, k.updated_at, k.step_started_on, k.due_on";
constexpr std::string_view kInsertCase =
    "INSERT INTO wf_case (id, type, subject, status, step, waiting_org, waiting_permission, "
    "version, opened_by, parties, details, opened_at, updated_at, step_started_on, due_on) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $11, $11, $12, $13)";
// Only at the version the actor saw: a case changed meanwhile is not touched.
constexpr std::string_view kUpdateCase =
    "UPDATE wf_case SET status = $1, step = $2, waiting_org = $3, waiting_permission = $4, "
    "version = version + 1, updated_at = $5, step_started_on = $6, due_on = $7 "
    "WHERE id = $8 AND version = $9";
constexpr std::string_view kInsertEvent =
    "INSERT INTO wf_case_event (case_id, action, actor, step, status, reason, at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kSelectEvents =
    "SELECT action, actor, step, status, reason, at FROM wf_case_event WHERE case_id = $1 "
    "ORDER BY id";

std::string PartiesJson(const std::map<std::string, std::string>& parties) {
  return nlohmann::json(parties).dump();
}

ApprovalCase CaseFromRow(const db::Row& r) {
  ApprovalCase c;
  c.id = r.Int(0);
  c.type = r.Text(1);
  c.subject = r.Text(2);
  c.status = CaseStatusFromName(r.Text(3)).value_or(CaseStatus::kOpen);
  c.step = static_cast<int>(r.Int(4));
  c.version = r.Int(5);
  c.opened_by = r.Text(6);
  auto parties = nlohmann::json::parse(r.Text(7), nullptr, false);
  if (parties.is_object()) c.parties = parties.get<std::map<std::string, std::string>>();
  c.details = r.Text(8);
  c.opened_at = r.Text(9);
  c.updated_at = r.Text(10);
  c.step_started_on = ParseIsoDate(r.Text(11)).value_or(Date{});
  c.due_on = ParseIsoDate(r.Text(12)).value_or(Date{});
  return c;
}

Result<ApprovalCase> Load(db::Connection& c, int64_t id) {
  NEMIS_ASSIGN_OR_RETURN(
      auto rs,
      c.Query("SELECT " + std::string(kCaseColumns) + " FROM wf_case k WHERE k.id = $1", {id}));
  if (rs.empty()) return Error::NotFound("审批案件不存在");
  ApprovalCase loaded = CaseFromRow(rs.rows[0]);
  NEMIS_ASSIGN_OR_RETURN(auto events, c.Query(kSelectEvents, {id}));
  for (const auto& e : events.rows) {
    loaded.history.push_back({CaseActionFromName(e.Text(0)).value_or(CaseAction::kOpen), e.Text(1),
                              static_cast<int>(e.Int(2)),
                              CaseStatusFromName(e.Text(3)).value_or(CaseStatus::kOpen), e.Text(4),
                              e.Text(5)});
  }
  return loaded;
}

Status CheckParties(const WorkflowDefinition& definition,
                    const std::map<std::string, std::string>& parties) {
  std::vector<FieldError> errors;
  for (const std::string& party : definition.Parties()) {
    auto it = parties.find(party);
    if (it == parties.end() || it->second.empty())
      errors.push_back({"parties." + party, "required", "缺少该方的机构"});
  }
  const std::vector<std::string> known = definition.Parties();
  for (const auto& [party, org] : parties) {
    if (std::find(known.begin(), known.end(), party) == known.end())
      errors.push_back({"parties." + party, "unknown_party", "该流程没有这一方"});
  }
  if (errors.empty()) return {};
  return Error::Invalid(std::move(errors), "案件各方不完整");
}

// Every party names an institution the store holds (so that a case can be found by where
// it waits, through the institution's ancestors), or another node (external_party.hpp).
Status CheckPartiesExist(db::Connection& c, const std::map<std::string, std::string>& parties) {
  std::vector<FieldError> errors;
  for (const auto& [party, code] : parties) {
    if (IsExternalParty(code)) continue;
    NEMIS_ASSIGN_OR_RETURN(auto at, org::OrgStore::Load(c, code));
    if (!at) errors.push_back({"parties." + party, "unknown_org", "机构 " + code + " 不存在"});
  }
  if (errors.empty()) return {};
  return Error::Invalid(std::move(errors), "案件各方的机构不存在");
}

// Whether `actor` holds the duty's permission at its party's institution. Another node's
// step is decided only by that node, as the exchange carries its decision here (its account
// is the party's name, "node:PP", which no account of a person can have).
Result<bool> MayDo(db::Connection& c, const Actor& actor, const Duty& duty,
                   const std::map<std::string, std::string>& parties) {
  auto it = parties.find(duty.party);
  if (it == parties.end() || !actor.may) return false;
  if (IsExternalParty(it->second)) return actor.account == it->second;
  NEMIS_ASSIGN_OR_RETURN(auto at, org::OrgStore::Load(c, it->second));
  return at.has_value() && actor.may(duty.permission, *at);
}

// Where a case waits: the step's institution and permission, or nothing once closed.
std::pair<std::string, std::string> WaitingFor(const ApprovalCase& c,
                                               const WorkflowDefinition& definition) {
  if (!c.IsOpen()) return {"", ""};
  const Duty& duty = definition.steps.at(static_cast<size_t>(c.step)).duty;
  return {c.parties.at(duty.party), duty.permission};
}

audit::AuditEntry EntryFor(const Actor& actor, const ApprovalCase& c, CaseAction action,
                           std::string_view at) {
  audit::AuditEntry e;
  e.time = std::string(at);
  e.account = actor.account;
  e.roles = actor.roles;
  e.scope = actor.scope;
  e.source_ip = actor.source_ip;
  e.request_id = actor.request_id;
  e.action = "case." + std::string(CaseActionName(action));
  e.target = "case:" + std::to_string(c.id);
  e.outcome = std::string(audit::kSuccess);
  e.details =
      nlohmann::json{{"type", c.type}, {"step", c.step}, {"status", CaseStatusName(c.status)}}
          .dump();
  return e;
}

// The rows every action writes besides the case: history, change log, audit entry.
Status RecordAction(db::Connection& c, const Actor& actor, const ApprovalCase& kase,
                    CaseAction action, int acted_step, std::string_view reason,
                    const std::string& now, db::ChangeOp op) {
  NEMIS_TRY(c.Defer(kInsertEvent, {kase.id, CaseActionName(action), actor.account, acted_step,
                                   CaseStatusName(kase.status), reason, now}));
  const int64_t ids[] = {kase.id};
  NEMIS_TRY(db::AppendChanges(c, kEntity, op, ids, now));
  audit::AuditEntry entry = EntryFor(actor, kase, action, now);
  return audit::AsRefusal(entry, audit::Append(c, entry));  // no entry, no action (503)
}

std::string Trimmed(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// Checks that `actor` may take `action` on `kase` now, with `reason`.
Status CheckAction(db::Connection& c, const Actor& actor, const WorkflowDefinition& definition,
                   const ApprovalCase& kase, CaseAction action, const std::string& reason) {
  if (!kase.IsOpen()) return Error::Conflict("case_closed", "案件已结束，不能再办理");
  if (action == CaseAction::kCancel) {
    if (actor.account != kase.opened_by) return Error::Forbidden("只有发起人可以撤销案件");
    return {};
  }
  if (action == CaseAction::kOpen) return Error::Internal("a case is opened only once");
  const Step& step = definition.steps.at(static_cast<size_t>(kase.step));
  NEMIS_ASSIGN_OR_RETURN(bool may, MayDo(c, actor, step.duty, kase.parties));
  if (!may) return Error::Forbidden("没有办理“" + step.name + "”的权限");
  if (action == CaseAction::kApprove && ActedOnAnotherStep(actor.account, kase))
    return Error{ErrorKind::kForbidden,
                 "not_your_step",
                 "同一人不能既发起又审批，或审批同一案件的两个环节",
                 {}};
  bool needs_reason = action == CaseAction::kReject || action == CaseAction::kReturn;
  if (needs_reason && reason.empty())
    return Error::Invalid({{"reason", "reason_required", "退回或不予通过须说明理由"}});
  if (action == CaseAction::kReturn && kase.step == 0)
    return Error::Invalid({{"action", "no_previous_step", "第一步无法退回"}});
  return {};
}

}  // namespace

Result<ApprovalCase> CaseStore::Open(const Actor& actor, const WorkflowDefinition& definition,
                                     const std::string& subject,
                                     const std::map<std::string, std::string>& parties,
                                     const std::string& details) {
  return db_.Write<ApprovalCase>(
      [&](db::Connection& c) { return OpenIn(c, actor, definition, subject, parties, details); });
}

Result<ApprovalCase> CaseStore::OpenIn(db::Connection& c, const Actor& actor,
                                       const WorkflowDefinition& definition,
                                       const std::string& subject,
                                       const std::map<std::string, std::string>& parties,
                                       const std::string& details) {
  NEMIS_TRY(CheckParties(definition, parties));
  ApprovalCase kase;
  kase.type = definition.type;
  kase.subject = subject;
  kase.opened_by = actor.account;
  kase.parties = parties;
  kase.details = details;
  kase.opened_at = kase.updated_at = FormatUtc(clock_.Now());
  kase.step_started_on = clock_.TodayInChina();
  NEMIS_ASSIGN_OR_RETURN(kase.due_on, DueDate(calendar_, kase.step_started_on, definition));
  kase.history.push_back(
      {CaseAction::kOpen, actor.account, 0, CaseStatus::kOpen, "", kase.opened_at});
  const auto [waiting_org, waiting_permission] = WaitingFor(kase, definition);
  NEMIS_TRY(CheckPartiesExist(c, parties));
  NEMIS_ASSIGN_OR_RETURN(bool may, MayDo(c, actor, definition.opener, parties));
  if (!may) return Error::Forbidden("没有发起此类案件的权限");
  NEMIS_ASSIGN_OR_RETURN(auto ids, db::AllocateIds(c, kEntity, 1));
  kase.id = ids.at(0);
  NEMIS_TRY(c.Defer(kInsertCase, {kase.id, kase.type, kase.subject, CaseStatusName(kase.status),
                                  kase.step, waiting_org, waiting_permission, kase.opened_by,
                                  PartiesJson(kase.parties), kase.details, kase.opened_at,
                                  kase.step_started_on.ToIso(), kase.due_on.ToIso()}));
  NEMIS_TRY(RecordAction(c, actor, kase, CaseAction::kOpen, 0, "", kase.opened_at,
                         db::ChangeOp::kInsert));
  return kase;
}

Result<ApprovalCase> CaseStore::Act(const Actor& actor, const WorkflowDefinition& definition,
                                    int64_t id, CaseAction action, int64_t expected_version,
                                    std::string_view reason_text, const CaseEnd& on_end) {
  return db_.Write<ApprovalCase>([&](db::Connection& c) {
    return ActIn(c, actor, definition, id, action, expected_version, reason_text, on_end);
  });
}

Result<ApprovalCase> CaseStore::ActIn(db::Connection& c, const Actor& actor,
                                      const WorkflowDefinition& definition, int64_t id,
                                      CaseAction action, int64_t expected_version,
                                      std::string_view reason_text, const CaseEnd& on_end) {
  const std::string reason = Trimmed(reason_text);
  const std::string now = FormatUtc(clock_.Now());
  const Date today = clock_.TodayInChina();
  {
    NEMIS_ASSIGN_OR_RETURN(ApprovalCase kase, Load(c, id));
    if (kase.type != definition.type)
      return Error::Internal("case " + std::to_string(id) + " is not a " + definition.type);
    if (kase.version != expected_version)
      return Error::Conflict("version_conflict", "案件已被他人办理，请刷新后重试");
    NEMIS_TRY(CheckAction(c, actor, definition, kase, action, reason));
    const int acted_step = kase.step;
    const int last_step = static_cast<int>(definition.steps.size()) - 1;
    switch (action) {
      case CaseAction::kApprove:
        if (kase.step == last_step)
          kase.status = CaseStatus::kApproved;
        else
          ++kase.step;
        break;
      case CaseAction::kReturn:
        --kase.step;
        break;
      case CaseAction::kReject:
        kase.status = CaseStatus::kRejected;
        break;
      default:
        kase.status = CaseStatus::kCancelled;
        break;
    }
    if (kase.step != acted_step) {
      kase.step_started_on = today;
      NEMIS_ASSIGN_OR_RETURN(kase.due_on, DueDate(calendar_, today, definition));
    }
    auto [waiting_org, waiting_permission] = WaitingFor(kase, definition);
    NEMIS_ASSIGN_OR_RETURN(
        auto updated, c.Query(kUpdateCase, {CaseStatusName(kase.status), kase.step, waiting_org,
                                            waiting_permission, now, kase.step_started_on.ToIso(),
                                            kase.due_on.ToIso(), id, expected_version}));
    if (updated.affected != 1)
      return Error::Conflict("version_conflict", "案件已被他人办理，请刷新后重试");
    ++kase.version;
    kase.updated_at = now;
    kase.history.push_back({action, actor.account, acted_step, kase.status, reason, now});
    NEMIS_TRY(RecordAction(c, actor, kase, action, acted_step, reason, now, db::ChangeOp::kUpdate));
    if (!kase.IsOpen() && on_end) NEMIS_TRY(on_end(c, kase));
    return kase;
  }
}

namespace {

constexpr int kMaxInboxPage = 500;

// " AND (<the reach's conditions>)" on wf_case k joined with the waiting institution o.
void AddReach(db::SqlBuilder& sql, const std::vector<Reach>& reach) {
  if (reach.empty()) {
    sql.Add(" AND 1 = 0");
    return;
  }
  sql.Add(" AND (");
  for (size_t i = 0; i < reach.size(); ++i) {
    sql.Add(i == 0 ? "(k.waiting_permission = $1" : " OR (k.waiting_permission = $1",
            {reach[i].permission});
    reach[i].scope.AddFilter(sql, org::ScopedTable::kOrg, "o");
    sql.Add(")");
  }
  sql.Add(")");
}

// Open cases waiting for the reach: wf_case k, the waiting institution o.
db::SqlBuilder WaitingSql(std::string_view select, std::initializer_list<db::Param> params,
                          const std::vector<Reach>& reach) {
  db::SqlBuilder sql(select, params);
  sql.Add(" FROM wf_case k JOIN org o ON o.code = k.waiting_org WHERE k.status = 'open'");
  AddReach(sql, reach);
  return sql;
}

Status CountWaiting(db::Connection& c, const std::vector<Reach>& reach, const std::string& today,
                    Inbox& inbox) {
  db::SqlBuilder sql = WaitingSql(
      "SELECT k.type, COUNT(*), SUM(CASE WHEN k.due_on < $1 THEN 1 ELSE 0 END)", {today}, reach);
  sql.Add(" GROUP BY k.type");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  for (const auto& row : rs.rows) {
    inbox.waiting_by_type[row.Text(0)] = row.Int(1);
    if (row.Int(2) > 0) inbox.overdue_by_type[row.Text(0)] = row.Int(2);
    inbox.waiting += row.Int(1);
    inbox.overdue += row.Int(2);
  }
  return {};
}

Status ListWaiting(db::Connection& c, const std::vector<Reach>& reach, int limit, Inbox& inbox) {
  db::SqlBuilder sql = WaitingSql("SELECT " + std::string(kCaseColumns), {}, reach);
  sql.Add(" ORDER BY k.due_on, k.id LIMIT $1", {std::clamp(limit, 1, kMaxInboxPage)});
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  for (const auto& row : rs.rows) inbox.cases.push_back(CaseFromRow(row));
  return {};
}

}  // namespace

Result<int> CaseStore::CloseOthers(db::Connection& c, const Actor& actor,
                                   const std::string& subject, int64_t except_id,
                                   std::string_view reason) {
  db::SqlBuilder sql(
      "SELECT " + std::string(kCaseColumns) +
          " FROM wf_case k WHERE k.subject = $1 AND k.status = 'open' AND k.id <> $2",
      {subject, except_id});
  return CloseSelected(c, actor, sql, reason);
}

Result<bool> CaseStore::Close(db::Connection& c, const Actor& actor, int64_t id,
                              std::string_view reason) {
  db::SqlBuilder sql("SELECT " + std::string(kCaseColumns) +
                         " FROM wf_case k WHERE k.id = $1 AND k.status = 'open'",
                     {id});
  NEMIS_ASSIGN_OR_RETURN(int closed, CloseSelected(c, actor, sql, reason));
  return closed == 1;
}

Result<int> CaseStore::CloseSelected(db::Connection& c, const Actor& actor, db::SqlBuilder& sql,
                                     std::string_view reason) {
  const std::string now = FormatUtc(clock_.Now());
  if (c.backend() == db::Backend::kPostgres) sql.Add(" FOR UPDATE");
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql.sql(), sql.params()));
  for (const auto& row : rs.rows) {
    ApprovalCase kase = CaseFromRow(row);
    kase.status = CaseStatus::kCancelled;
    NEMIS_TRY(c.Defer(kUpdateCase,
                      {CaseStatusName(kase.status), kase.step, "", "", now,
                       kase.step_started_on.ToIso(), kase.due_on.ToIso(), kase.id, kase.version}));
    NEMIS_TRY(RecordAction(c, actor, kase, CaseAction::kClose, kase.step, reason, now,
                           db::ChangeOp::kUpdate));
  }
  return static_cast<int>(rs.rows.size());
}

Result<bool> CaseStore::HasOpen(db::Connection& c, const std::string& subject,
                                std::string_view type_prefix) {
  NEMIS_ASSIGN_OR_RETURN(
      auto rs,
      c.Query("SELECT type FROM wf_case WHERE subject = $1 AND status = 'open'", {subject}));
  for (const auto& row : rs.rows)
    if (row.Text(0).starts_with(type_prefix)) return true;
  return false;
}

Result<ApprovalCase> CaseStore::Get(int64_t id) {
  return db_.Read<ApprovalCase>([&](db::Connection& c) { return Load(c, id); });
}

Result<Inbox> CaseStore::Waiting(const std::vector<Reach>& reach, Date today, int limit) {
  return Waiting("", reach, today, limit);
}

Result<Inbox> CaseStore::Waiting(std::string_view account, const std::vector<Reach>& reach,
                                 Date today, int limit) {
  return db_.Read<Inbox>([&](db::Connection& c) -> Result<Inbox> {
    Inbox inbox;
    NEMIS_TRY(CountWaiting(c, reach, today.ToIso(), inbox));
    NEMIS_TRY(ListWaiting(c, reach, limit, inbox));
    if (account.empty()) return inbox;
    NEMIS_ASSIGN_OR_RETURN(
        auto rs,
        c.Query("SELECT status, COUNT(*) FROM wf_case WHERE opened_by = $1 GROUP BY status",
                {account}));
    for (const auto& row : rs.rows) inbox.opened_by_status[row.Text(0)] = row.Int(1);
    return inbox;
  });
}

}  // namespace nemis::workflow
