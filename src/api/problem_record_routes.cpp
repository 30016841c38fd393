// /api/v1/problem-records: the record-quality findings (一人一籍, 问题学籍) in the caller's
// scope, and their counts rolled up per child institution for drill-down. The scan itself
// runs from the command line (nemis registry scan): a whole-node scan takes about a minute
// of a worker and a gigabyte of memory, which a request should not hold.
#include <charconv>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/case_support.hpp"
#include "audit/audit_entry.hpp"
#include "identity/permissions.hpp"
#include "registry/quality/problem_decision.hpp"
#include "registry/quality/problem_records.hpp"
#include "registry/quality/student_merge.hpp"

namespace nemis::api {
namespace {

namespace perm = identity::perm;
namespace quality = registry::quality;

registry::StudentViewer ViewerOf(const http::Request& req, const Caller& caller) {
  registry::StudentViewer viewer;
  viewer.scope = caller.scope;
  if (caller.principal) viewer.sensitive = caller.principal->ScopeFor(perm::kStudentViewSensitive);
  viewer.reader = AuditEntryFor(req, &caller, {});
  viewer.method = req.method;
  return viewer;
}

// The student of one side as the review needs it; personal data as the registry showed it.
Json SideJson(const quality::ProblemSide& side) {
  Json out = {{"schoolCode", side.school_code}, {"inScope", side.student.has_value()}};
  if (!side.student) return out;
  const registry::Student& s = *side.student;
  out["studentNumber"] = s.student_number;
  out["numberKind"] = std::string(1, s.number_kind);
  out["name"] = s.name;
  out["gender"] = s.gender;
  out["birthDate"] = s.birth_date;
  out["grade"] = s.enrolment.grade;
  out["classNo"] = s.enrolment.class_no;
  out["status"] = s.enrolment.status;
  out["personalData"] = s.personal_view == registry::PersonalView::kWhole ? "whole" : "masked";
  return out;
}

Json RecordJson(const quality::ProblemRecordView& v) {
  Json details = Json::parse(v.details, nullptr, false);
  Json out = {{"id", v.id},
              {"kind", quality::ProblemKindId(v.kind)},
              {"kindName", quality::ProblemKindName(v.kind)},
              {"state", v.state},
              {"score", v.score},
              {"details", details.is_discarded() ? Json::object() : details},
              {"firstSeen", v.first_seen},
              {"lastSeen", v.last_seen},
              {"student", SideJson(v.student)},
              {"other", v.other ? SideJson(*v.other) : Json(nullptr)},
              {"caseId", v.case_id ? Json(*v.case_id) : Json(nullptr)}};
  out["version"] = v.version;
  if (v.state == "resolved")
    out["resolution"] = {{"kind", v.resolution},
                         {"by", v.resolved_by},
                         {"at", v.resolved_at},
                         {"reason", v.decision_reason},
                         {"document", v.decision_document}};
  return out;
}

Result<quality::ProblemQuery> QueryOf(const http::Request& req) {
  quality::ProblemQuery q;
  q.org = std::string(req.Query("org").value_or(""));
  if (auto kind = req.Query("kind"); kind && !kind->empty()) {
    q.kind = quality::ParseProblemKind(*kind);
    if (!q.kind)
      return Error::BadRequest("bad_parameter", "kind 不是问题学籍类别：" + std::string(*kind));
  }
  q.state = std::string(req.Query("state").value_or("open"));
  if (q.state == "all") q.state.clear();
  if (!q.state.empty() && q.state != "open" && q.state != "gone" && q.state != "resolved")
    return Error::BadRequest("bad_parameter", "state 应为 open、gone、resolved 或 all");
  NEMIS_ASSIGN_OR_RETURN(q.limit, IntParam(req, "limit", 50, 1, 200));
  q.after = std::string(req.Query("after").value_or(""));
  return q;
}

http::Response List(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto query = QueryOf(req);
  if (!query.ok()) return ErrorJson(query.error(), req);
  auto page = quality::ProblemRecords(ctx.db, ctx.cipher).List(ViewerOf(req, caller), *query);
  if (!page.ok()) return ErrorJson(page.error(), req);
  http::Response r = PageResponse(page->items, page->next, RecordJson);
  for (const auto& item : page->items)
    for (const auto* side : {&item.student, item.other ? &*item.other : nullptr})
      if (side && side->student &&
          side->student->personal_view == registry::PersonalView::kMaskedUnaudited) {
        r.SetHeader("Warning", "199 - \"audit log unavailable: personal data masked\"");
        return r;
      }
  return r;
}

Json KindCounts(const std::map<quality::ProblemKind, int64_t>& counts) {
  Json out = Json::object();
  for (quality::ProblemKind kind : quality::AllProblemKinds()) {
    auto it = counts.find(kind);
    out[std::string(quality::ProblemKindId(kind))] = it == counts.end() ? 0 : it->second;
  }
  return out;
}

http::Response Summary(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto summary = quality::ProblemRecords(ctx.db, ctx.cipher)
                     .Summary(caller.scope, std::string(req.Query("org").value_or("")));
  if (!summary.ok()) return ErrorJson(summary.error(), req);
  Json children = Json::array();
  for (const auto& [code, counts] : summary->children)
    children.push_back({{"org", code}, {"counts", KindCounts(counts)}});
  Json kinds = Json::array();
  for (quality::ProblemKind kind : quality::AllProblemKinds())
    kinds.push_back({{"kind", quality::ProblemKindId(kind)},
                     {"name", quality::ProblemKindName(kind)},
                     {"pair", quality::IsPairKind(kind)}});
  return JsonResponse(200, {{"org", summary->org},
                            {"kinds", kinds},
                            {"total", KindCounts(summary->total)},
                            {"children", children}});
}

Result<int64_t> RecordId(const http::Request& req) {
  const std::string text(req.PathParam("id"));
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 1)
    return Error::NotFound("问题学籍记录不存在");
  return id;
}

http::Response Decide(ApiContext& ctx, http::Request& req, const Caller& caller) {
  quality::ProblemDecisionRequest request;
  auto id = RecordId(req);
  if (!id.ok()) return ErrorJson(id.error(), req);
  request.id = *id;
  auto version = RequiredIfMatch(req);
  if (!version.ok()) return ErrorJson(version.error(), req);
  request.expected_version = *version;
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  request.decision = MemberText(*body, "decision");
  request.reason = MemberText(*body, "reason");
  request.document = MemberText(*body, "document");
  auto decided =
      quality::DecideProblem(ctx.db, ctx.clock, ActorOf(req, caller), caller.scope, request);
  if (!decided.ok()) return ErrorJson(decided.error(), req);
  // Decided: a failed entry is logged by RecordAudit; the record keeps who and why.
  (void)RecordAudit(ctx, req, &caller,
                    {"problem_record.decide", std::to_string(decided->id), audit::kSuccess,
                     Json{{"decision", decided->resolution}}.dump()});
  http::Response r = JsonResponse(200, {{"id", decided->id},
                                        {"state", "resolved"},
                                        {"version", decided->version},
                                        {"resolution",
                                         {{"kind", decided->resolution},
                                          {"by", decided->resolved_by},
                                          {"at", decided->resolved_at},
                                          {"reason", decided->reason},
                                          {"document", decided->document}}}});
  r.SetHeader("ETag", VersionTag(decided->version));
  return r;
}

// 学籍合并: the school of the record that goes asks; a merge case follows
// (registry/quality/student_merge.hpp). 202: applied once the other school and the
// authority over both have approved.
http::Response Merge(ApiContext& ctx, http::Request& req, const Caller& caller) {
  quality::MergeRequest request;
  auto id = RecordId(req);
  if (!id.ok()) return ErrorJson(id.error(), req);
  request.problem_id = *id;
  auto version = RequiredIfMatch(req);
  if (!version.ok()) return ErrorJson(version.error(), req);
  request.expected_version = *version;
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  request.keep = MemberText(*body, "keep");
  request.reason = MemberText(*body, "reason");
  request.document = MemberText(*body, "document");
  auto opened = ctx.merges->Open(ActorOf(req, caller), caller.scope, request);
  if (!opened.ok()) return ErrorJson(opened.error(), req);
  auto allowed = AllowedActions(ctx, caller, *opened);
  return allowed.ok() ? CaseResponse(*opened, *allowed, 202) : ErrorJson(allowed.error(), req);
}

}  // namespace

void AddProblemRecordRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "GET", "/api/v1/problem-records", Access::Needs(perm::kStudentView),
              [&ctx](http::Request& req, const Caller& c) { return List(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/problem-records/summary",
              Access::Needs(perm::kStudentView),
              [&ctx](http::Request& req, const Caller& c) { return Summary(ctx, req, c); });
  // Any reader of the findings may ask; who may decide depends on the finding
  // (registry/quality/problem_decision.hpp).
  AddApiRoute(router, ctx, "POST", "/api/v1/problem-records/{id}/decision",
              Access::Needs(perm::kStudentView),
              [&ctx](http::Request& req, const Caller& c) { return Decide(ctx, req, c); });
  AddApiRoute(router, ctx, "POST", "/api/v1/problem-records/{id}/merge",
              Access::Needs(perm::kStudentView),
              [&ctx](http::Request& req, const Caller& c) { return Merge(ctx, req, c); });
}

}  // namespace nemis::api
