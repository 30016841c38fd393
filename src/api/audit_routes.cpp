// /api/v1/audit: the audit log for the audit administrator, as pages of JSON or as
// CSV. Reading the log is itself audited.
#include <sstream>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "audit/audit_export.hpp"
#include "audit/audit_query.hpp"
#include "identity/permissions.hpp"

namespace nemis::api {
namespace {

namespace perm = identity::perm;

// from/to are UTC dates (YYYY-MM-DD); `to` includes its whole day.
Result<std::optional<std::chrono::system_clock::time_point>> DateParam(const http::Request& req,
                                                                       std::string_view name,
                                                                       int add_days) {
  auto text = req.Query(name);
  if (!text) return std::optional<std::chrono::system_clock::time_point>();
  auto date = ParseIsoDate(*text);
  if (!date) return Error::BadRequest("bad_parameter", std::string(name) + " 应为日期 YYYY-MM-DD");
  auto days = std::chrono::days(date->DaysSinceEpoch() + add_days);
  return std::optional(std::chrono::system_clock::time_point(days));
}

Result<audit::AuditFilter> FilterFrom(const http::Request& req) {
  audit::AuditFilter f;
  NEMIS_ASSIGN_OR_RETURN(f.from, DateParam(req, "from", 0));
  NEMIS_ASSIGN_OR_RETURN(f.to, DateParam(req, "to", 1));
  f.account = std::string(req.Query("account").value_or(""));
  f.action = std::string(req.Query("action").value_or(""));
  f.outcome = std::string(req.Query("outcome").value_or(""));
  NEMIS_ASSIGN_OR_RETURN(f.limit, IntParam(req, "limit", 100, 1, audit::kMaxQueryLimit));
  if (auto after = req.Query("after")) {
    auto seq = IntParam(req, "after", 0, 0, std::numeric_limits<int>::max());
    if (!seq.ok()) return std::move(seq).error();
    f.after_seq = *seq;
  }
  f.newest_first = req.Query("order").value_or("asc") == "desc";
  return f;
}

Json RecordJson(const audit::AuditRecord& r) {
  const auto& e = r.entry;
  Json details = Json::parse(e.details.empty() ? "{}" : e.details, nullptr, false);
  return {{"seq", r.seq},
          {"time", e.time},
          {"account", e.account},
          {"roles", e.roles},
          {"scope", e.scope},
          {"sourceIp", e.source_ip},
          {"requestId", e.request_id},
          {"action", e.action},
          {"target", e.target},
          {"outcome", e.outcome},
          {"details", details},
          {"hash", r.entry_hash}};
}

http::Response List(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto filter = FilterFrom(req);
  if (!filter.ok()) return ErrorJson(filter.error(), req);
  auto page = audit::Query(ctx.db, *filter);
  if (!page.ok()) return ErrorJson(page.error(), req);
  (void)RecordAudit(
      ctx, req, &caller,
      {"audit.view", "audit_log", audit::kSuccess, Json{{"query", req.target}}.dump()});
  Json items = Json::array();
  for (const auto& r : page->records) items.push_back(RecordJson(r));
  Json next = page->next_after_seq ? Json(std::to_string(*page->next_after_seq)) : Json(nullptr);
  return JsonResponse(200, {{"items", items}, {"next", next}});
}

http::Response Export(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto filter = FilterFrom(req);
  if (!filter.ok()) return ErrorJson(filter.error(), req);
  std::ostringstream csv;
  if (Status s = audit::ExportCsv(ctx.db, *filter, csv); !s.ok()) return ErrorJson(s.error(), req);
  (void)RecordAudit(
      ctx, req, &caller,
      {"audit.export", "audit_log", audit::kSuccess, Json{{"query", req.target}}.dump()});
  http::Response r{.status = 200, .content_type = "text/csv; charset=utf-8", .body = csv.str()};
  r.SetHeader("Content-Disposition", "attachment; filename=\"audit.csv\"");
  return r;
}

}  // namespace

void AddAuditRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "GET", "/api/v1/audit", Access::Needs(perm::kAuditView),
              [&ctx](http::Request& req, const Caller& c) { return List(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/audit/export", Access::Needs(perm::kAuditExport),
              [&ctx](http::Request& req, const Caller& c) { return Export(ctx, req, c); });
}

}  // namespace nemis::api
