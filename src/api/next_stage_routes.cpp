#include "api/next_stage_routes.hpp"

#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/case_support.hpp"
#include "audit/audit_entry.hpp"
#include "identity/permissions.hpp"
#include "registry/next_stage_enrolment.hpp"

namespace nemis::api {
namespace {

Result<registry::NextStageRequest> RequestOf(const Json& body) {
  registry::NextStageRequest r;
  r.to_school = MemberText(body, "toSchool");
  r.grade = MemberText(body, "grade");
  auto list = body.find("students");
  if (list == body.end() || !list->is_array())
    return Error::Invalid({{"students", "required", "students 应为学生名单（数组）"}});
  if (list->size() > registry::kMaxNextStageRows)  // before copying a huge list
    return Error::Invalid(
        {{"students", "too_many",
          "录取名单一次最多 " + std::to_string(registry::kMaxNextStageRows) + " 名学生"}});
  for (const Json& row : *list) {
    if (!row.is_object())
      return Error::Invalid(
          {{"students", "bad_type", "名单的每一项应为含 studentNumber、name、class 的对象"}});
    r.students.push_back(
        {MemberText(row, "studentNumber"), MemberText(row, "name"), MemberText(row, "class")});
  }
  return r;
}

// How many rows named no student: what a probe of numbers and names would show.
int64_t NotFoundRows(const Error& e) {
  int64_t n = 0;
  for (const FieldError& f : e.fields) n += f.code == "not_found";
  return n;
}

http::Response Enrol(ApiContext& ctx, PublicThrottle& lookups, http::Request& req,
                     const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto request = RequestOf(*body);
  if (!request.ok()) return ErrorJson(request.error(), req);
  if (int64_t wait = lookups.Take(caller.account, PublicThrottle::Clock::now()))
    return RateLimited(wait, req);
  auto outcome =
      registry::EnrolNextStage(ctx.db, ctx.cipher, Clock::System(), ActorOf(req, caller), *request);
  if (!outcome.ok() && outcome.error().kind == ErrorKind::kForbidden)
    return ErrorJson(outcome.error(), req);  // the route's denial is audited as every 403
  Json details{{"rows", request->students.size()},
               {"enrolled", outcome.ok() ? outcome->enrolled : 0},
               {"notFound", outcome.ok() ? 0 : NotFoundRows(outcome.error())}};
  Status audited = RecordAudit(ctx, req, &caller,
                               {"student.next_stage_enrol", MemberText(*body, "toSchool"),
                                outcome.ok() ? audit::kSuccess : audit::kFailure, details.dump()});
  if (!outcome.ok()) {
    // No entry, no answer: the refusal names which rows matched a student.
    return ErrorJson(audited.ok() ? outcome.error() : audited.error(), req);
  }
  // Enrolled: the change log holds the write; a failed entry was logged by RecordAudit.
  return JsonResponse(200, {{"enrolled", outcome->enrolled}});
}

}  // namespace

void AddNextStageRoutes(http::Router& router, ApiContext& ctx,
                        const std::shared_ptr<PublicThrottle>& lookups) {
  AddApiRoute(router, ctx, "POST", "/api/v1/next-stage-enrolments",
              Access::Needs(identity::perm::kStudentCreate),
              [&ctx, lookups](http::Request& req, const Caller& caller) {
                return Enrol(ctx, *lookups, req, caller);
              });
}

}  // namespace nemis::api
