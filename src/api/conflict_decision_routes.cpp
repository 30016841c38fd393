// The ministry's registry office on the national node (exchange/conflict_register.hpp,
// conflict_resolution.hpp), behind the portal's 跨省重复学籍裁定:
//   GET /api/v1/exchange/conflicts?state=disputed&limit=N   the one-person-one-number conflicts,
//       each with both registrations' national view (masked name, no number or document) and
//       each province's verdict; audited (exchange.conflicts_read)
//   POST /api/v1/exchange/conflicts/{id}/decision {"winner": "440000", "reason": "…"}
//       settles one for the winner's registration, as `nemis exchange decide` does; audited
//       (exchange.decide, with the reason)
// Both need student.approve over the whole country (an account of the ministry at the national
// node's root), and exist only on the national node.
#include <charconv>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "audit/audit_entry.hpp"
#include "base/text.hpp"
#include "exchange/conflict_register.hpp"
#include "exchange/conflict_resolution.hpp"
#include "exchange/node_identity.hpp"
#include "identity/permissions.hpp"

namespace nemis::api {
namespace {

constexpr size_t kMaxReasonChars = 200;

// Only the national node holds the conflicts, and only a nationwide approver settles them.
Status CheckNationalOffice(const ApiContext& ctx, const Caller& caller) {
  if (!ctx.node || ctx.node->role != exchange::NodeRole::kNational)
    return Error::NotFound("本节点不是国家节点，没有跨省重复学籍");
  if (!caller.scope.IsEverything())
    return Error::Forbidden(
        "只有全国范围的学籍审核人员（教育部学籍主管部门）可以查看和裁定跨省重复学籍");
  return {};
}

http::Response List(ApiContext& ctx, http::Request& req, const Caller& caller) {
  if (Status ok = CheckNationalOffice(ctx, caller); !ok.ok()) return ErrorJson(ok.error(), req);
  auto limit = IntParam(req, "limit", 100, 1, 1000);
  if (!limit.ok()) return ErrorJson(limit.error(), req);
  auto entries =
      exchange::ListConflicts(ctx.db, ctx.cipher, req.Query("state").value_or(""), *limit);
  if (!entries.ok()) return ErrorJson(entries.error(), req);
  Json items = Json::array();
  for (const exchange::ConflictEntry& e : *entries)
    items.push_back(exchange::ConflictEntryToJson(e));
  // Masked names and schools of children: every read is audited.
  Status audited = RecordAudit(ctx, req, &caller,
                               {"exchange.conflicts_read", "/api/v1/exchange/conflicts",
                                audit::kSuccess, Json{{"conflicts", items.size()}}.dump()});
  if (!audited.ok()) return ErrorJson(Error::Unavailable("审计日志写入失败，未提供冲突清单"), req);
  return JsonResponse(200, {{"items", std::move(items)}});
}

Result<int64_t> ConflictId(const http::Request& req) {
  const std::string text(req.PathParam("id"));
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 1)
    return Error::NotFound("没有这起冲突");
  return id;
}

// {"winner": "440000", "reason": "…"}: validation_failed naming the field otherwise.
Result<std::pair<std::string, std::string>> DecisionOf(const Json& body) {
  const std::string winner = MemberText(body, "winner");
  const std::string reason(TrimSpaces(MemberText(body, "reason")));
  std::vector<FieldError> errors;
  if (winner.empty()) errors.push_back({"winner", "required", "请选择保留哪一省的学籍"});
  if (reason.empty())
    errors.push_back({"reason", "required", "请写明裁定依据"});
  else if (!IsCleanText(reason) || Utf8Length(reason) > kMaxReasonChars)
    errors.push_back({"reason", "bad_reason", "裁定依据须为不超过 200 个字符的文本"});
  if (!errors.empty()) return Error::Invalid(std::move(errors), "裁定不完整");
  return std::make_pair(winner, reason);
}

http::Response Decide(ApiContext& ctx, http::Request& req, const Caller& caller) {
  if (Status ok = CheckNationalOffice(ctx, caller); !ok.ok()) return ErrorJson(ok.error(), req);
  auto id = ConflictId(req);
  if (!id.ok()) return ErrorJson(id.error(), req);
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto decision = DecisionOf(*body);
  if (!decision.ok()) return ErrorJson(decision.error(), req);
  const auto& [winner, reason] = *decision;
  Status decided = exchange::DecideDispute(ctx.db, ctx.cipher, *id, winner,
                                           FormatUtc(ctx.clock.Now()), caller.write);
  if (!decided.ok()) return ErrorJson(decided.error(), req);
  // The request's own entry committed with the decision; this one keeps the reason given.
  (void)RecordAudit(ctx, req, &caller,
                    {"exchange.decide", std::to_string(*id), audit::kSuccess,
                     Json{{"winner", winner}, {"reason", reason}}.dump()});
  return JsonResponse(200, {{"id", *id}, {"state", "resolved"}, {"winner", winner}});
}

}  // namespace

void AddConflictDecisionRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "GET", "/api/v1/exchange/conflicts",
              Access::Needs(identity::perm::kStudentApprove),
              [&ctx](http::Request& req, const Caller& caller) { return List(ctx, req, caller); });
  AddApiRoute(
      router, ctx, "POST", "/api/v1/exchange/conflicts/{id}/decision",
      Access::Needs(identity::perm::kStudentApprove),
      [&ctx](http::Request& req, const Caller& caller) { return Decide(ctx, req, caller); });
}

}  // namespace nemis::api
