#include "api/case_support.hpp"

#include "api/api_context.hpp"
#include "api/caller.hpp"
#include "exchange/conflict_cases.hpp"
#include "exchange/transfer_handover.hpp"
#include "exchange/transfer_messages.hpp"
#include "registry/graduation.hpp"
#include "registry/quality/student_merge.hpp"
#include "registry/status_change_cases.hpp"
#include "registry/student_correction.hpp"
#include "registry/transfer.hpp"
#include "registry/transfer_external.hpp"
#include "stats/submission_store.hpp"
#include "workflow/definition_catalog.hpp"
#include "workflow/external_party.hpp"

namespace nemis::api {
namespace {

using workflow::ApprovalCase;

Json StepJson(const ApprovalCase& kase) {
  const workflow::WorkflowDefinition* d = workflow::DefinitionCatalog::Builtin().Find(kase.type);
  if (d == nullptr || !kase.IsOpen()) return nullptr;
  const workflow::Step& step = d->steps.at(static_cast<size_t>(kase.step));
  return {
      {"index", kase.step},
      {"name", step.name},
      {"waitingAt", kase.parties.count(step.duty.party) ? kase.parties.at(step.duty.party) : ""},
      {"permission", step.duty.permission}};
}

// The chain's step names, for a case page that shows where the case is on its way.
Json StepsJson(const ApprovalCase& kase) {
  Json steps = Json::array();
  const workflow::WorkflowDefinition* d = workflow::DefinitionCatalog::Builtin().Find(kase.type);
  if (d == nullptr) return steps;
  for (const workflow::Step& step : d->steps)
    steps.push_back(
        {{"name", step.name},
         {"party", step.duty.party},
         {"at", kase.parties.count(step.duty.party) ? kase.parties.at(step.duty.party) : ""}});
  return steps;
}

Json HistoryJson(const ApprovalCase& kase) {
  Json history = Json::array();
  for (const auto& e : kase.history) {
    history.push_back({{"action", workflow::CaseActionName(e.action)},
                       {"actor", e.actor},
                       {"step", e.step},
                       {"status", workflow::CaseStatusName(e.status_after)},
                       {"reason", e.reason},
                       {"at", e.at}});
  }
  return history;
}

}  // namespace

org::Scope AnyGrantScope(const Caller& caller) {
  org::Scope scope;
  for (const auto& grant : caller.principal->grants) scope.Add(grant.where);
  return scope;
}

workflow::Actor ActorOf(const http::Request& req, const Caller& caller) {
  workflow::Actor actor;
  actor.account = caller.account;
  actor.roles = caller.principal->GrantSummary();
  actor.source_ip = req.remote_address;
  actor.request_id = req.request_id;
  const org::Scope reach = AnyGrantScope(caller);
  for (const auto& s : reach.subtrees()) actor.scope += (actor.scope.empty() ? "" : ",") + s.code;
  actor.may = [principal = caller.principal](std::string_view permission,
                                             const org::Institution& at) {
    return principal->ScopeFor(permission).Contains(at);
  };
  return actor;
}

Json CaseJson(const ApprovalCase& kase, Date today) {
  const workflow::WorkflowDefinition* d = workflow::DefinitionCatalog::Builtin().Find(kase.type);
  Json parties = Json::object();
  for (const auto& [party, code] : kase.parties) parties[party] = code;
  Json details = Json::parse(kase.details, nullptr, false);
  return {{"id", kase.id},
          {"type", kase.type},
          {"title", d ? d->title : kase.type},
          {"subject", kase.subject},
          {"status", workflow::CaseStatusName(kase.status)},
          {"step", StepJson(kase)},
          {"steps", StepsJson(kase)},
          {"parties", parties},
          {"details", details.is_object() ? details : Json::object()},
          {"openedBy", kase.opened_by},
          {"openedAt", kase.opened_at},
          {"updatedAt", kase.updated_at},
          {"dueOn", kase.due_on.ToIso()},
          {"overdue", kase.OverdueOn(today)},
          {"version", kase.version}};
}

Result<Json> AllowedActions(ApiContext& ctx, const Caller& caller, const ApprovalCase& kase) {
  Json allowed = Json::array();
  if (!kase.IsOpen()) return allowed;
  const workflow::WorkflowDefinition* d = workflow::DefinitionCatalog::Builtin().Find(kase.type);
  if (d == nullptr) return allowed;
  const workflow::Duty& duty = d->steps.at(static_cast<size_t>(kase.step)).duty;
  const std::string& party = kase.parties.at(duty.party);
  // Another node's step: the exchange acts there; its opener may only ask to withdraw it
  // (registry/transfer_external.hpp).
  if (workflow::IsExternalParty(party)) {
    if (kase.opened_by != caller.account) return allowed;
    NEMIS_ASSIGN_OR_RETURN(auto standing, ctx.db.Read<std::optional<registry::ExternalStanding>>(
                                              [&](db::Connection& c) {
                                                return registry::LoadExternalStanding(c, kase.id);
                                              }));
    if (standing && standing->state == "waiting" && standing->withdrawal.empty())
      allowed.push_back("withdraw");
    return allowed;
  }
  auto at = ctx.orgs.Get(org::Scope::Everything(), party);
  if (!at.ok() && at.error().kind != ErrorKind::kNotFound) return at.error();
  if (at.ok() && caller.principal->ScopeFor(duty.permission).Contains(*at)) {
    if (!workflow::ActedOnAnotherStep(caller.account, kase)) allowed.push_back("approve");
    if (kase.step > 0) allowed.push_back("return");
    allowed.push_back("reject");
  }
  if (kase.opened_by == caller.account) allowed.push_back("cancel");
  return allowed;
}

Result<Json> OtherNodeJson(ApiContext& ctx, const ApprovalCase& kase, Date today) {
  if (kase.type != registry::kExternalTransferType) return Json(nullptr);
  NEMIS_ASSIGN_OR_RETURN(
      auto standing, ctx.db.Read<std::optional<registry::ExternalStanding>>([&](db::Connection& c) {
        return registry::LoadExternalStanding(c, kase.id);
      }));
  if (!standing) return Json(nullptr);
  Json progress = nullptr, withdrawal = nullptr;
  if (auto p = exchange::ProgressFromText(standing->progress); p.ok()) {
    progress = {
        {"step", p->step},          {"steps", p->steps},
        {"stepName", p->step_name}, {"since", p->since},
        {"dueOn", p->due_on},       {"overdue", today > ParseIsoDate(p->due_on).value_or(today)}};
  }
  if (!standing->withdrawal.empty())
    withdrawal = {{"reason", standing->withdrawal},
                  {"askedAt", standing->withdrawal_asked_at},
                  {"askedBy", standing->withdrawal_asked_by}};
  return Json{{"state", standing->state}, {"progress", progress}, {"withdrawal", withdrawal}};
}

http::Response CaseResponse(const ApprovalCase& kase, const Json& allowed, int status,
                            const Json& other_node) {
  Json body = CaseJson(kase, Clock::System().TodayInChina());
  body["history"] = HistoryJson(kase);
  body["allowedActions"] = allowed;
  if (!other_node.is_null()) body["otherNode"] = other_node;
  http::Response r = JsonResponse(status, body);
  r.SetHeader("ETag", VersionTag(kase.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/cases/" + std::to_string(kase.id));
  return r;
}

workflow::CaseEnd CaseEndFor(ApiContext& ctx, const workflow::Actor& actor, std::string_view type) {
  if (identity::IsAccountCase(type))
    return [&ctx](db::Connection& c, const ApprovalCase& kase) {
      return ctx.account_admin.OnCaseEnd(c, kase);
    };
  if (registry::IsStatusChangeCase(type))
    return [&ctx](db::Connection& c, const ApprovalCase& kase) {
      return ctx.status_changes->OnEnd(c, kase);
    };
  if (registry::IsGraduationCase(type))
    return [&ctx](db::Connection& c, const ApprovalCase& kase) {
      return ctx.graduations->OnEnd(c, kase);
    };
  if (registry::IsCorrectionCase(type))
    return [&ctx](db::Connection& c, const ApprovalCase& kase) {
      return ctx.corrections->OnEnd(c, kase);
    };
  if (registry::quality::IsMergeCase(type))
    return
        [&ctx](db::Connection& c, const ApprovalCase& kase) { return ctx.merges->OnEnd(c, kase); };
  if (stats::IsSubmissionCase(type))
    return [&ctx](db::Connection& c, const ApprovalCase& kase) {
      return ctx.submissions->OnEnd(c, kase);
    };
  if (type == exchange::kDuplicateCaseType)
    return [&ctx](db::Connection& c, const ApprovalCase& kase) {
      return exchange::OnDuplicateCaseEnd(c, kase, FormatUtc(ctx.clock.Now()));
    };
  if (type == exchange::kTransferOutCaseType)
    return [&ctx](db::Connection& c, const ApprovalCase& kase) {
      return exchange::OnTransferOutCaseEnd(c, ctx.cipher, *ctx.cases, kase, ctx.clock);
    };
  if (registry::IsTransferCase(type))
    return [&ctx, actor](db::Connection& c, const ApprovalCase& kase) {
      return ctx.transfers->OnEnd(c, actor, kase);
    };
  return {};
}

}  // namespace nemis::api
