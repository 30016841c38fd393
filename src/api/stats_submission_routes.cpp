// /api/v1/stats/submissions: the annual statistics submissions (采集 审核 上报) — the
// progress of a subtree, a unit's draft or frozen submission with its review, and the
// actions on it (submit, approve, return, withdraw), each signed with the acting person's
// SM2 key; the signed document for offline verification (stats/submission_store.hpp).
#include <charconv>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/caller.hpp"
#include "api/case_support.hpp"
#include "http/url.hpp"
#include "identity/permissions.hpp"
#include "stats/form_output.hpp"
#include "stats/signed_submission.hpp"
#include "stats/stats_engine.hpp"
#include "stats/submission_progress.hpp"
#include "stats/submission_store.hpp"

namespace nemis::api {
namespace {

namespace perm = identity::perm;

Result<int> YearOf(std::string_view text) {
  int year = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || end != text.data() + text.size() || year < 2000 || year > 2100)
    return Error::BadRequest("bad_parameter",
                             "学年应为 2000–2100 之间的年份，如 2026（2026-2027学年）");
  return year;
}

// The year of the last point in time (1 September) on or before today.
int CurrentYear(const ApiContext& ctx) {
  return stats::PointInTimeOf(stats::kPointMonth, stats::kPointDay, ctx.clock.TodayInChina()).year;
}

// `code` (or the caller's single subtree) within the caller's stats.view scope.
Result<org::Institution> UnitInScope(ApiContext& ctx, const Caller& caller, std::string code) {
  if (code.empty()) {
    const org::Subtree* single = caller.scope.Single();
    if (single == nullptr)
      return Error::Invalid(
          {{"org", "org_required", "您的权限范围包含多个机构，请用 org 参数指定其中一个"}});
    code = single->code;
  }
  auto unit = ctx.db.Read<std::optional<org::Institution>>(
      [&](db::Connection& c) { return org::OrgStore::Load(c, code); });
  if (!unit.ok()) return unit.error();
  if (!*unit || !caller.scope.Contains(**unit)) return Error::NotFound("机构 " + code + " 不存在");
  return std::move(**unit);
}

Json UnitJson(const stats::UnitProgress& p) {
  return {{"org", p.org_code},
          {"name", p.name},
          {"level", org::OrgLevelId(p.level)},
          {"state", p.state},
          {"locked", p.locked},
          {"overdue", p.overdue},
          {"unitsBelow", p.units_below},
          {"unitsBelowApproved", p.units_below_approved},
          {"version", p.version},
          {"submittedBy", p.submitted_by},
          {"submittedAt", p.submitted_at},
          {"decidedBy", p.decided_by},
          {"decidedAt", p.decided_at},
          {"returnReason", p.return_reason}};
}

Json Header(int year, const stats::SubmissionProgress& p) {
  return {{"year", year},
          {"pointInTime", p.point.ToIso()},
          {"deadline", p.deadline.ToIso()},
          {"unit", UnitJson(p.unit)}};
}

http::Response Progress(ApiContext& ctx, http::Request& req, const Caller& caller) {
  int year = CurrentYear(ctx);
  if (auto text = req.Query("year")) {
    auto parsed = YearOf(*text);
    if (!parsed.ok()) return ErrorJson(parsed.error(), req);
    year = *parsed;
  }
  auto unit = UnitInScope(ctx, caller, std::string(req.Query("org").value_or("")));
  if (!unit.ok()) return ErrorJson(unit.error(), req);
  auto progress = stats::ProgressOf(ctx.db, year, *unit, ctx.clock.TodayInChina());
  if (!progress.ok()) return ErrorJson(progress.error(), req);
  Json body = Header(year, *progress), units = Json::array(), levels = Json::array();
  for (const auto& u : progress->units) units.push_back(UnitJson(u));
  for (const auto& l : progress->levels)
    levels.push_back({{"level", org::OrgLevelId(l.level)},
                      {"units", l.units},
                      {"waiting", l.waiting},
                      {"ready", l.ready},
                      {"submitted", l.submitted},
                      {"approved", l.approved},
                      {"returned", l.returned},
                      {"overdue", l.overdue}});
  body["units"] = std::move(units);
  body["levels"] = std::move(levels);
  return JsonResponse(200, body);
}

// What the caller may do on the unit now, as the store would decide it.
Json Allowed(ApiContext& ctx, const workflow::Actor& actor, const org::Institution& unit,
             const stats::UnitProgress& p) {
  Json allowed = Json::array();
  auto parent = ctx.db.Read<std::optional<org::Institution>>(
      [&](db::Connection& c) { return org::OrgStore::Load(c, unit.parent_code); });
  const bool reviews = parent.ok() && *parent && actor.may("stats.approve", **parent);
  const bool open = p.state == "ready" || p.state == "returned";
  if (open && !p.locked && p.units_below_approved == p.units_below &&
      actor.may("stats.submit", unit))
    allowed.push_back("submit");
  if (p.state == "submitted" && p.submitted_by == actor.account) allowed.push_back("withdraw");
  if (p.state == "submitted" && reviews && p.submitted_by != actor.account)
    allowed.push_back("approve");
  if ((p.state == "submitted" || (p.state == "approved" && !p.locked)) && reviews)
    allowed.push_back("return");
  return allowed;
}

Json FormsJson(const stats::Snapshot& s) {
  Json forms = Json::array();
  for (const auto& t : s.forms) forms.push_back(stats::FormJson(t));
  return {{"students", s.students},
          {"schools", s.schools},
          {"schoolsWithoutStudents", s.schools_without_students},
          {"forms", std::move(forms)}};
}

stats::StatsEngine* ReadyEngine(ApiContext& ctx) {
  stats::StatsEngine* engine = ctx.stats_engine;
  return engine != nullptr && engine->ready() ? engine : nullptr;
}

Result<Json> Detail(ApiContext& ctx, const workflow::Actor& actor, int year,
                    const org::Institution& unit) {
  NEMIS_ASSIGN_OR_RETURN(auto progress,
                         stats::ProgressOf(ctx.db, year, unit, ctx.clock.TodayInChina()));
  Json body = Header(year, progress);
  body["allowed"] = Allowed(ctx, actor, unit, progress.unit);
  NEMIS_ASSIGN_OR_RETURN(auto stored, ctx.submissions->Get(year, unit.code));
  const bool frozen = stored && (stored->state == stats::SubmissionState::kSubmitted ||
                                 stored->state == stats::SubmissionState::kApproved);
  Json explanations = Json::object();
  if (stored)
    for (const auto& [id, text] : stored->explanations) explanations[id] = text;
  body["explanations"] = std::move(explanations);
  body["unitsNotApproved"] = Json::array();
  if (frozen) {
    NEMIS_ASSIGN_OR_RETURN(auto snapshot, stats::SnapshotFromJson(stored->snapshot));
    body["snapshot"] = FormsJson(snapshot);
    body["findings"] = Json(stored->snapshot.value("findings", nlohmann::json::array()));
    body["digest"] = stored->digest;
  } else {
    stats::StatsEngine* engine = ReadyEngine(ctx);
    if (engine == nullptr)
      return Error::Unavailable("统计引擎正在加载，暂不能生成上报草稿，请稍后再试");
    NEMIS_ASSIGN_OR_RETURN(auto draft, ctx.submissions->Prepare(*engine, year, unit));
    body["snapshot"] = FormsJson(draft.snapshot);
    body["findings"] = Json(stats::FindingsJson(draft.findings));
    body["unitsNotApproved"] = draft.units_not_approved;
  }
  Json signatures = Json::array();
  if (stored) {
    NEMIS_ASSIGN_OR_RETURN(auto signed_by, ctx.submissions->Signatures(year, unit.code));
    for (const auto& s : signed_by)
      signatures.push_back(
          {{"action", s.action},
           {"account", s.account},
           {"at", s.at},
           {"fingerprint", stats::KeyFingerprint(s.certificate.value("publicKey", ""))}});
  }
  body["signatures"] = std::move(signatures);
  return body;
}

// The year and unit of a /submissions/{year}/{org} route.
Result<std::pair<int, org::Institution>> Target(ApiContext& ctx, http::Request& req,
                                                const Caller& caller) {
  NEMIS_ASSIGN_OR_RETURN(int year, YearOf(req.PathParam("year")));
  NEMIS_ASSIGN_OR_RETURN(auto unit, UnitInScope(ctx, caller, req.PathParam("org")));
  return std::pair{year, std::move(unit)};
}

http::Response Show(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto target = Target(ctx, req, caller);
  if (!target.ok()) return ErrorJson(target.error(), req);
  auto body = Detail(ctx, ActorOf(req, caller), target->first, target->second);
  if (!body.ok()) return ErrorJson(body.error(), req);
  return JsonResponse(200, *body);
}

Result<std::map<std::string, std::string>> ExplanationsOf(const Json& body) {
  std::map<std::string, std::string> out;
  auto it = body.find("explanations");
  if (it == body.end()) return out;
  if (!it->is_object())
    return Error::Invalid({{"explanations", "bad_type", "explanations 应为 {提示编号: 说明}"}});
  for (const auto& [id, text] : it->items()) {
    if (!text.is_string())
      return Error::Invalid({{"explanations." + id, "bad_type", "说明应为文字"}});
    if (text.get<std::string>().size() > 2000)
      return Error::Invalid({{"explanations." + id, "too_long", "说明不超过 2000 字节"}});
    out[id] = text.get<std::string>();
  }
  return out;
}

Result<int64_t> VersionOf(const Json& body) {
  auto it = body.find("version");
  if (it == body.end() || !it->is_number_integer())
    return Error::Invalid({{"version", "required", "须提供上报的版本号（刷新后再试）"}});
  return it->get<int64_t>();
}

enum class Action { kSubmit, kApprove, kReturn, kWithdraw };

Result<stats::Submission> Perform(ApiContext& ctx, const workflow::Actor& actor, Action action,
                                  int year, const org::Institution& unit, const Json& body) {
  if (action == Action::kSubmit) {
    stats::StatsEngine* engine = ReadyEngine(ctx);
    if (engine == nullptr) return Error::Unavailable("统计引擎正在加载，暂不能上报，请稍后再试");
    NEMIS_ASSIGN_OR_RETURN(auto explanations, ExplanationsOf(body));
    return ctx.submissions->Submit(actor, *engine, year, unit, explanations);
  }
  NEMIS_ASSIGN_OR_RETURN(int64_t version, VersionOf(body));
  if (action == Action::kApprove) return ctx.submissions->Approve(actor, year, unit.code, version);
  if (action == Action::kWithdraw)
    return ctx.submissions->Withdraw(actor, year, unit.code, version);
  auto reason = body.find("reason");
  if (reason != body.end() && !reason->is_string())
    return Error::Invalid({{"reason", "bad_type", "reason 应为文字"}});
  const std::string text = reason == body.end() ? "" : reason->get<std::string>();
  if (text.size() > 2000) return Error::Invalid({{"reason", "too_long", "理由不超过 2000 字节"}});
  return ctx.submissions->Return(actor, year, unit.code, text, version);
}

http::Response Act(ApiContext& ctx, http::Request& req, const Caller& caller, Action action) {
  auto target = Target(ctx, req, caller);
  if (!target.ok()) return ErrorJson(target.error(), req);
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  const workflow::Actor actor = ActorOf(req, caller);
  auto done = Perform(ctx, actor, action, target->first, target->second, *body);
  if (!done.ok()) return ErrorJson(done.error(), req);
  auto detail = Detail(ctx, actor, target->first, target->second);
  if (!detail.ok()) return ErrorJson(detail.error(), req);
  return JsonResponse(action == Action::kSubmit ? 201 : 200, *detail);
}

http::Response SignedFile(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto target = Target(ctx, req, caller);
  if (!target.ok()) return ErrorJson(target.error(), req);
  auto doc = ctx.submissions->SignedDocument(target->first, target->second.code);
  if (!doc.ok()) return ErrorJson(doc.error(), req);
  http::Response r{.status = 200};
  r.content_type = "application/json; charset=utf-8";
  r.body = doc->dump(2);
  const std::string name =
      "stats-submission-" + std::to_string(target->first) + "-" + target->second.code + ".json";
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return r;
}

http::Response SigningKey(ApiContext& ctx, http::Request& req) {
  auto pem = ctx.signers->AuthorityPublicPem();
  if (!pem.ok()) return ErrorJson(pem.error(), req);
  return JsonResponse(200, {{"publicKey", *pem}, {"fingerprint", stats::KeyFingerprint(*pem)}});
}

}  // namespace

void AddStatsSubmissionRoutes(http::Router& router, ApiContext& ctx) {
  const std::string unit = "/api/v1/stats/submissions/{year}/{org}";
  AddApiRoute(router, ctx, "GET", "/api/v1/stats/submissions", Access::Needs(perm::kStatsView),
              [&ctx](http::Request& req, const Caller& c) { return Progress(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/stats/signing-key", Access::Needs(perm::kStatsView),
              [&ctx](http::Request& req, const Caller&) { return SigningKey(ctx, req); });
  AddApiRoute(router, ctx, "GET", unit, Access::Needs(perm::kStatsView),
              [&ctx](http::Request& req, const Caller& c) { return Show(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", unit + "/signed", Access::Needs(perm::kStatsView),
              [&ctx](http::Request& req, const Caller& c) { return SignedFile(ctx, req, c); });
  const std::pair<std::string, Action> actions[] = {{"submit", Action::kSubmit},
                                                    {"approve", Action::kApprove},
                                                    {"return", Action::kReturn},
                                                    {"withdraw", Action::kWithdraw}};
  for (const auto& entry : actions) {
    const Action action = entry.second;
    const std::string_view permission = action == Action::kSubmit || action == Action::kWithdraw
                                            ? perm::kStatsSubmit
                                            : perm::kStatsApprove;
    std::string path = unit;
    path.append("/").append(entry.first);
    AddApiRoute(
        router, ctx, "POST", path, Access::Needs(permission),
        [&ctx, action](http::Request& req, const Caller& c) { return Act(ctx, req, c, action); });
  }
}

}  // namespace nemis::api
