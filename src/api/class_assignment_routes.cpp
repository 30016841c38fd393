#include "api/class_assignment_routes.hpp"

#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "audit/audit_entry.hpp"
#include "identity/permissions.hpp"
#include "registry/class_assignment.hpp"

namespace nemis::api {
namespace {

Result<registry::ClassAssignmentRequest> RequestOf(const Json& body) {
  registry::ClassAssignmentRequest r;
  auto dry_run = body.find("dryRun");
  if (dry_run != body.end() && !dry_run->is_boolean())
    return Error::Invalid({{"dryRun", "bad_type", "dryRun 应为 true 或 false"}});
  r.dry_run = dry_run != body.end() && dry_run->get<bool>();
  auto list = body.find("students");
  if (list == body.end() || !list->is_array())
    return Error::Invalid({{"students", "required", "students 应为分班名单（数组）"}});
  if (list->size() > registry::kMaxClassAssignmentRows)  // before copying a huge list
    return Error::Invalid(
        {{"students", "too_many",
          "分班名单一次最多 " + std::to_string(registry::kMaxClassAssignmentRows) + " 名学生"}});
  r.students.reserve(list->size());
  for (const Json& row : *list) {
    if (!row.is_object())
      return Error::Invalid(
          {{"students", "bad_type", "名单的每一项应为含 studentNumber、class 的对象"}});
    r.students.push_back({MemberText(row, "studentNumber"), MemberText(row, "class")});
  }
  return r;
}

Json TallyJson(const registry::ClassTally& t) {
  return {{"assigned", t.assigned}, {"unchanged", t.unchanged}};
}

http::Response Assign(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto request = RequestOf(*body);
  if (!request.ok()) return ErrorJson(request.error(), req);
  const org::Scope scope = caller.principal->ScopeFor(identity::perm::kStudentUpdate);
  auto report = registry::AssignClasses(ctx.db, ctx.cipher, ctx.clock, scope, *request);
  if (!report.ok()) return ErrorJson(report.error(), req);
  Json schools = Json::array();
  for (const auto& [code, tally] : report->schools) {
    Json row = TallyJson(tally);
    row["school"] = code;
    schools.push_back(std::move(row));
  }
  if (!report->dry_run) {
    // Written: the change log holds it; a failed entry is logged by RecordAudit.
    (void)RecordAudit(
        ctx, req, &caller,
        {"student.class_assign", "", audit::kSuccess,
         Json{{"rows", request->students.size()}, {"assigned", report->total.assigned}}.dump()});
  }
  return JsonResponse(
      200,
      {{"dryRun", report->dry_run}, {"total", TallyJson(report->total)}, {"schools", schools}});
}

}  // namespace

void AddClassAssignmentRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, ctx, "POST", "/api/v1/class-assignments",
              Access::Needs(identity::perm::kStudentUpdate),
              [&ctx](http::Request& req, const Caller& c) { return Assign(ctx, req, c); });
}

}  // namespace nemis::api
