// POST /api/v1/graduations: a school's graduation (毕业) of the year, or its dry run
// (registry/graduation.hpp). Audited as student.graduate with what it counted.
#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/case_support.hpp"
#include "audit/audit_entry.hpp"
#include "identity/permissions.hpp"
#include "registry/graduation.hpp"

namespace nemis::api {
namespace {

Result<registry::GraduationRequest> RequestOf(const Json& body) {
  registry::GraduationRequest r;
  r.school = MemberText(body, "school");
  auto year = body.find("year");
  if (year == body.end() || !year->is_number_integer())
    return Error::Invalid({{"year", "required", "须填写毕业学年（如 2026）"}});
  r.year = year->get<int>();
  auto dry_run = body.find("dryRun");
  if (dry_run != body.end() && !dry_run->is_boolean())
    return Error::Invalid({{"dryRun", "bad_type", "dryRun 应为 true 或 false"}});
  r.dry_run = dry_run != body.end() && dry_run->get<bool>();
  return r;
}

Json OutcomeJson(const registry::GraduationOutcome& o, Date today) {
  Json out{{"graduated", o.graduated},
           {"awaitingApproval", o.awaiting_approval},
           {"held", o.held},
           {"dryRun", o.dry_run}};
  if (o.application) out["case"] = CaseJson(*o.application, today);
  return out;
}

http::Response Graduate(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto request = RequestOf(*body);
  if (!request.ok()) return ErrorJson(request.error(), req);
  auto outcome = ctx.graduations->Graduate(ActorOf(req, caller), caller.scope, *request);
  if (!outcome.ok()) return ErrorJson(outcome.error(), req);
  const Json answer = OutcomeJson(*outcome, ctx.clock.TodayInChina());
  if (!request->dry_run) {
    // Written: the change log holds it; a failed entry is logged by RecordAudit.
    Json details{{"year", request->year},
                 {"graduated", outcome->graduated},
                 {"awaitingApproval", outcome->awaiting_approval},
                 {"held", outcome->held}};
    (void)RecordAudit(ctx, req, &caller,
                      {"student.graduate", request->school, audit::kSuccess, details.dump()});
  }
  return JsonResponse(outcome->application ? 201 : 200, answer);
}

}  // namespace

void AddGraduationRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(
      router, ctx, "POST", "/api/v1/graduations", Access::Needs(identity::perm::kStudentUpdate),
      [&ctx](http::Request& req, const Caller& caller) { return Graduate(ctx, req, caller); });
}

}  // namespace nemis::api
