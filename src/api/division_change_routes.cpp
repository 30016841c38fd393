// The GB/T 2260 division changes (org/division_change_store.hpp), behind the portal's
// 行政区划变更:
//   GET /api/v1/divisions/changes?limit=N   the changes this node holds, newest first (with
//       when each took effect here, null while scheduled), and whether the caller may record
//       one here ("recordable")
//   POST /api/v1/divisions/changes {"kind", "code", "name", "successor", "effectiveOn",
//       "reference", "schoolSuccessors": {school code: division}}   records one, as `nemis division
//       record` does; audited (division.record). Only on the national node, and only by an account
//       that may create institutions over the whole country: the provinces receive the changes from
//       it.
#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "base/text.hpp"
#include "exchange/division_feed.hpp"
#include "identity/permissions.hpp"
#include "org/division_change_store.hpp"

namespace nemis::api {
namespace {

bool IsNationalNode(const ApiContext& ctx) {
  return ctx.config.GetString("node.role") == "national";
}

// A change as the feed carries it, and when this node put it in effect (null: scheduled).
Json ChangeJson(const org::DivisionChangeRecord& r) {
  Json j = exchange::DivisionChangeToJson(r);
  j["appliedAt"] = r.applied_at.empty() ? Json(nullptr) : Json(r.applied_at);
  return j;
}

bool MayRecord(const ApiContext& ctx, const Caller& caller) {
  return IsNationalNode(ctx) && caller.principal &&
         caller.principal->ScopeFor(identity::perm::kOrgCreate).IsEverything();
}

http::Response List(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto limit = IntParam(req, "limit", 200, 1, 1000);
  if (!limit.ok()) return ErrorJson(limit.error(), req);
  auto records = org::ListDivisionChanges(ctx.db, *limit);
  if (!records.ok()) return ErrorJson(records.error(), req);
  Json items = Json::array();
  for (const org::DivisionChangeRecord& r : *records) items.push_back(ChangeJson(r));
  return JsonResponse(200, {{"items", std::move(items)}, {"recordable", MayRecord(ctx, caller)}});
}

// The body as a change; an unknown kind is validation_failed like any other field.
Result<org::DivisionChangeInput> InputOf(const Json& body) {
  org::DivisionChangeInput in;
  const std::string kind = MemberText(body, "kind");
  auto parsed = codes::ParseDivisionChangeKind(kind);
  if (!parsed)
    return Error::Invalid(
        {{"kind", "bad_kind", "变更类型须为 add（新设）、rename（更名）或 retire（撤销）"}},
        "行政区划变更未通过校验");
  in.change.kind = *parsed;
  in.change.code = MemberText(body, "code");
  in.change.name = std::string(TrimSpaces(MemberText(body, "name")));
  in.change.successor = MemberText(body, "successor");
  in.effective_on = MemberText(body, "effectiveOn");
  in.reference = std::string(TrimSpaces(MemberText(body, "reference")));
  if (body.contains("schoolSuccessors")) {
    const Json& moves = body["schoolSuccessors"];
    if (!moves.is_object())
      return Error::Invalid(
          {{"schoolSuccessors", "invalid", "须为“学校标识码: 承继区划代码”的对象"}},
          "行政区划变更未通过校验");
    for (const auto& [school, successor] : moves.items()) {
      if (!successor.is_string())
        return Error::Invalid(
            {{"schoolSuccessors." + school, "unknown_successor", "承继区划须为区划代码"}},
            "行政区划变更未通过校验");
      in.school_successors.emplace(school, successor.get<std::string>());
    }
  }
  return in;
}

http::Response Record(ApiContext& ctx, http::Request& req, const Caller& caller) {
  if (!IsNationalNode(ctx))
    return ErrorJson(Error{ErrorKind::kNotFound,
                           "not_national",
                           "行政区划变更由国家节点发布，本节点从国家节点接收",
                           {}},
                     req);
  if (!caller.scope.IsEverything())
    return ErrorJson(Error::Forbidden("只有全国范围的机构管理人员可以发布行政区划变更"), req);
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto input = InputOf(*body);
  if (!input.ok()) return ErrorJson(input.error(), req);
  auto recorded =
      org::RecordDivisionChange(ctx.db, std::move(*input), ctx.config.GetString("node.code"),
                                FormatUtc(ctx.clock.Now()), caller.write);
  if (!recorded.ok()) return ErrorJson(recorded.error(), req);
  return JsonResponse(201, ChangeJson(*recorded));
}

}  // namespace

void AddDivisionChangeRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "GET", "/api/v1/divisions/changes",
              Access::Needs(identity::perm::kOrgView),
              [&ctx](http::Request& req, const Caller& caller) { return List(ctx, req, caller); });
  AddApiRoute(
      router, ctx, "POST", "/api/v1/divisions/changes", Access::Needs(identity::perm::kOrgCreate),
      [&ctx](http::Request& req, const Caller& caller) { return Record(ctx, req, caller); });
}

}  // namespace nemis::api
