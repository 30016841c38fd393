// /api/v1/registry/promotions: the annual promotion (升级、毕业) of a subtree, for the
// province level (student.approve held at the province or above): a dry run answers at
// once with the counts per school; a run goes on in the background (promotion_runner.hpp)
// and is polled. The command line does the same (nemis registry promote).
#include <charconv>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/promotion_runner.hpp"
#include "audit/audit_entry.hpp"
#include "identity/permissions.hpp"
#include "identity/principal.hpp"
#include "org/org_store.hpp"
#include "registry/registry_calendar.hpp"

namespace nemis::api {
namespace {

namespace perm = identity::perm;

Json ReportJson(const registry::PromotionReport& report) {
  const auto tally = [](const registry::PromotionTally& t) {
    return Json{{"promoted", t.promoted}, {"graduated", t.graduated}, {"held", t.held}};
  };
  Json schools = Json::array();
  for (const auto& [code, t] : report.schools) {
    Json row = tally(t);
    row["school"] = code;
    schools.push_back(std::move(row));
  }
  return {{"dryRun", report.dry_run}, {"total", tally(report.total)}, {"schools", schools}};
}

Json RunJson(const PromotionRun& run) {
  Json out{{"id", run.id},
           {"org", run.org},
           {"year", run.year},
           {"state", run.state},
           {"done", run.done},
           {"of", run.of},
           {"startedBy", run.started_by},
           {"startedAt", run.started_at}};
  if (!run.finished_at.empty()) out["finishedAt"] = run.finished_at;
  if (run.state == "done") out["report"] = ReportJson(run.report);
  if (run.state == "failed")
    out["error"] = {{"code", run.error_code}, {"message", run.error_message}};
  return out;
}

// The subtree to promote, in the caller's scope, when the caller holds student.approve at
// its province (or above): the promotion is the province's business.
Result<org::Institution> SubtreeFor(ApiContext& ctx, const Caller& caller,
                                    const std::string& code) {
  if (code.empty())
    return Error::Invalid({{"org", "required", "须指定升级的范围（区划代码或学校标识码）"}});
  NEMIS_ASSIGN_OR_RETURN(auto inst, ctx.orgs.Get(caller.scope, code));
  const std::string top =
      inst.level <= org::OrgLevel::kProvince ? inst.code : inst.province_code.value_or(inst.code);
  auto province = ctx.orgs.Get(org::Scope::Everything(), top);
  if (!province.ok() || !caller.principal ||
      !caller.principal->ScopeFor(perm::kStudentApprove).Contains(*province))
    return Error::Forbidden("年度升级由省级学籍主管部门办理");
  return inst;
}

Result<registry::PromotionOptions> OptionsOf(ApiContext& ctx, const Json& body,
                                             const org::Institution& inst) {
  registry::PromotionOptions options;
  auto year = body.find("year");
  if (year == body.end() || !year->is_number_integer())
    return Error::Invalid({{"year", "required", "须填写结束的学年（如 2026）"}});
  options.year = year->get<int>();
  auto dry_run = body.find("dryRun");
  if (dry_run != body.end() && !dry_run->is_boolean())
    return Error::Invalid({{"dryRun", "bad_type", "dryRun 应为 true 或 false"}});
  options.dry_run = dry_run != body.end() && dry_run->get<bool>();
  options.where = org::Scope::Of(inst);
  auto calendar = registry::RegistryCalendarFromConfig(ctx.config);
  if (calendar.ok()) options.calendar = *calendar;
  return options;
}

http::Response Start(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto inst = SubtreeFor(ctx, caller, MemberText(*body, "org"));
  if (!inst.ok()) return ErrorJson(inst.error(), req);
  auto options = OptionsOf(ctx, *body, *inst);
  if (!options.ok()) return ErrorJson(options.error(), req);
  if (Status checked = registry::CheckPromotion(ctx.clock, *options); !checked.ok())
    return ErrorJson(checked.error(), req);
  if (options->dry_run) {
    auto report = registry::Promote(ctx.db, ctx.clock, *options);
    return report.ok() ? JsonResponse(200, ReportJson(*report)) : ErrorJson(report.error(), req);
  }
  auto run = ctx.promotions->Start(caller.account, inst->code, *options);
  if (!run.ok()) return ErrorJson(run.error(), req);
  (void)RecordAudit(ctx, req, &caller,
                    {"registry.promote", inst->code, audit::kSuccess,
                     Json{{"year", options->year}, {"run", run->id}}.dump()});
  http::Response r = JsonResponse(202, RunJson(*run));
  r.SetHeader("Location", "/api/v1/registry/promotions/" + std::to_string(run->id));
  return r;
}

http::Response Show(ApiContext& ctx, http::Request& req, const Caller& caller) {
  const std::string text(req.PathParam("id"));
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  std::optional<PromotionRun> run;
  if (ec == std::errc() && end == text.data() + text.size()) {
    auto found = ctx.promotions->Get(id);
    if (!found.ok()) return ErrorJson(found.error(), req);
    run = std::move(*found);
  }
  // Who cannot reach the run's subtree learns nothing of it.
  if (!run || !SubtreeFor(ctx, caller, run->org).ok())
    return ErrorJson(Error::NotFound("升级任务不存在"), req);
  return JsonResponse(200, RunJson(*run));
}

}  // namespace

void AddPromotionRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "POST", "/api/v1/registry/promotions",
              Access::Needs(perm::kStudentApprove),
              [&ctx](http::Request& req, const Caller& c) { return Start(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/registry/promotions/{id}",
              Access::Needs(perm::kStudentApprove),
              [&ctx](http::Request& req, const Caller& c) { return Show(ctx, req, c); });
}

}  // namespace nemis::api
