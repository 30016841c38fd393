// The approval inbox and cases (src/workflow) over HTTP. Any signed-in account may ask:
// what it sees and may do follows from its grants, case by case. A case is visible to
// whoever opened it and to accounts whose grants reach one of its parties' institutions;
// anyone else gets 404, as for a case that does not exist. Acting needs the current
// step's permission at that step's institution (the engine checks), and If-Match.
#include <charconv>
#include <set>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/case_support.hpp"
#include "api/principal_cache.hpp"
#include "audit/audit_entry.hpp"
#include "audit/audit_log.hpp"
#include "base/date.hpp"
#include "base/text.hpp"
#include "registry/transfer_external.hpp"
#include "workflow/case_store.hpp"
#include "workflow/definition_catalog.hpp"
#include "workflow/external_party.hpp"

namespace nemis::api {
namespace {

using workflow::ApprovalCase;

constexpr int kDefaultInboxPage = 50;
constexpr int kMaxInboxPage = 500;

// Where the caller may act: for each permission some built-in step needs, its scope.
std::vector<workflow::Reach> ReachOf(const Caller& caller) {
  std::set<std::string> permissions;
  for (const auto& d : workflow::DefinitionCatalog::Builtin().all())
    for (const auto& step : d.steps) permissions.insert(step.duty.permission);
  std::vector<workflow::Reach> reach;
  for (const std::string& p : permissions)
    if (caller.Has(p)) reach.push_back({p, caller.principal->ScopeFor(p)});
  return reach;
}

Result<bool> VisibleTo(ApiContext& ctx, const Caller& caller, const ApprovalCase& kase) {
  if (kase.opened_by == caller.account) return true;
  const org::Scope scope = AnyGrantScope(caller);
  for (const auto& [party, code] : kase.parties) {
    if (workflow::IsExternalParty(code)) continue;  // another node's: no grant here reaches it
    auto at = ctx.orgs.Get(org::Scope::Everything(), code);
    if (!at.ok() && at.error().kind != ErrorKind::kNotFound) return at.error();
    if (at.ok() && scope.Contains(*at)) return true;
  }
  return false;
}

Result<int64_t> CaseId(const http::Request& req) {
  const std::string text(req.PathParam("id"));
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 1)
    return Error::NotFound("审批案件不存在");
  return id;
}

// The case if the caller may see it; not_found otherwise, as for a case that does not exist.
Result<ApprovalCase> VisibleCase(ApiContext& ctx, const http::Request& req, const Caller& caller) {
  NEMIS_ASSIGN_OR_RETURN(int64_t id, CaseId(req));
  NEMIS_ASSIGN_OR_RETURN(ApprovalCase kase, ctx.cases->Get(id));
  NEMIS_ASSIGN_OR_RETURN(bool visible, VisibleTo(ctx, caller, kase));
  if (!visible) return Error::NotFound("审批案件不存在");
  return kase;
}

http::Response Answer(ApiContext& ctx, const http::Request& req, const Caller& caller,
                      const ApprovalCase& kase, int status = 200) {
  auto allowed = AllowedActions(ctx, caller, kase);
  if (!allowed.ok()) return ErrorJson(allowed.error(), req);
  auto other_node = OtherNodeJson(ctx, kase, ctx.clock.TodayInChina());
  if (!other_node.ok()) return ErrorJson(other_node.error(), req);
  return CaseResponse(kase, *allowed, status, *other_node);
}

http::Response Inbox(ApiContext& ctx, http::Request& req, const Caller& caller) {
  if (req.Query("waiting").value_or("") != "me")
    return ErrorJson(Error::BadRequest("bad_parameter", "参数 waiting 须为 me"), req);
  auto limit = IntParam(req, "limit", kDefaultInboxPage, 1, kMaxInboxPage);
  if (!limit.ok()) return ErrorJson(limit.error(), req);
  const Date today = Clock::System().TodayInChina();
  auto inbox = ctx.cases->Waiting(caller.account, ReachOf(caller), today, *limit);
  if (!inbox.ok()) return ErrorJson(inbox.error(), req);
  Json items = Json::array();
  for (const ApprovalCase& kase : inbox->cases) items.push_back(CaseJson(kase, today));
  Json by_type = Json::object();
  for (const auto& [type, n] : inbox->waiting_by_type) {
    auto overdue = inbox->overdue_by_type.find(type);
    const workflow::WorkflowDefinition* d = workflow::DefinitionCatalog::Builtin().Find(type);
    by_type[type] = {{"title", d ? d->title : type},
                     {"waiting", n},
                     {"overdue", overdue == inbox->overdue_by_type.end() ? 0 : overdue->second}};
  }
  Json opened = Json::object();
  for (const char* status : {"open", "approved", "rejected", "cancelled"})
    opened[status] = inbox->opened_by_status.count(status) ? inbox->opened_by_status.at(status) : 0;
  return JsonResponse(200, {{"items", items},
                            {"counts",
                             {{"waiting", inbox->waiting},
                              {"overdue", inbox->overdue},
                              {"byType", by_type},
                              {"openedByMe", opened}}}});
}

http::Response Show(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto kase = VisibleCase(ctx, req, caller);
  return kase.ok() ? Answer(ctx, req, caller, *kase) : ErrorJson(kase.error(), req);
}

// The optional {"reason": "…"} of an action.
Result<std::string> ReasonOf(const http::Request& req) {
  if (req.body.empty()) return std::string();
  NEMIS_ASSIGN_OR_RETURN(Json body, ParseJsonObject(req));
  if (body.contains("reason") && !body["reason"].is_string())
    return Error::Invalid({{"reason", "invalid", "理由须是文字"}});
  return body.value("reason", "");
}

// A transfer waiting at another node: its opener asks to withdraw it (registry/
// transfer_external.hpp); 202, the case still open until that node answers.
http::Response Withdraw(ApiContext& ctx, const http::Request& req, const Caller& caller,
                        const ApprovalCase& kase, int64_t version, const std::string& reason) {
  if (version != kase.version)
    return ErrorJson(Error::Conflict("version_conflict", "案件已被他人办理，请刷新后重试"), req);
  const std::string trimmed(TrimSpaces(reason));
  Status asked = ctx.db.WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(
        registry::AskWithdrawal(c, kase, caller.account, trimmed, FormatUtc(ctx.clock.Now())));
    return audit::Append(c, AuditEntryFor(req, &caller,
                                          {"case.withdraw", "case:" + std::to_string(kase.id),
                                           audit::kSuccess, Json{{"reason", trimmed}}.dump()}));
  });
  if (!asked.ok()) return ErrorJson(asked.error(), req);
  return Answer(ctx, req, caller, kase, 202);
}

http::Response ActOn(ApiContext& ctx, http::Request& req, const Caller& caller) {
  const std::string_view name = req.PathParam("action");
  auto action = workflow::CaseActionFromName(name);
  if (name != "withdraw" && (!action || *action == workflow::CaseAction::kOpen ||
                             *action == workflow::CaseAction::kClose))
    return ErrorJson(Error::NotFound("没有这项操作（approve、reject、return、cancel、withdraw）"),
                     req);
  auto kase = VisibleCase(ctx, req, caller);
  if (!kase.ok()) return ErrorJson(kase.error(), req);
  auto version = RequiredIfMatch(req);
  if (!version.ok()) return ErrorJson(version.error(), req);
  auto reason_of = ReasonOf(req);
  if (!reason_of.ok()) return ErrorJson(reason_of.error(), req);
  const std::string& reason = *reason_of;
  if (name == "withdraw") return Withdraw(ctx, req, caller, *kase, *version, reason);
  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(kase->type);
  if (definition == nullptr)
    return ErrorJson(Error::Internal("unknown case type " + kase->type), req);
  const workflow::Actor actor = ActorOf(req, caller);
  auto acted = ctx.cases->Act(actor, *definition, kase->id, *action, *version, reason,
                              CaseEndFor(ctx, actor, kase->type));
  // An approved account change alters grants or a password: cached principals are stale.
  if (acted.ok() && !acted->IsOpen()) ctx.token_principals->Clear();
  return acted.ok() ? Answer(ctx, req, caller, *acted) : ErrorJson(acted.error(), req);
}

}  // namespace

void AddCaseRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "GET", "/api/v1/cases", Access::SignedIn(),
              [&ctx](http::Request& req, const Caller& caller) { return Inbox(ctx, req, caller); });
  AddApiRoute(router, ctx, "GET", "/api/v1/cases/{id}", Access::SignedIn(),
              [&ctx](http::Request& req, const Caller& caller) { return Show(ctx, req, caller); });
  AddApiRoute(router, ctx, "POST", "/api/v1/cases/{id}/{action}", Access::SignedIn(),
              [&ctx](http::Request& req, const Caller& caller) { return ActOn(ctx, req, caller); });
}

}  // namespace nemis::api
