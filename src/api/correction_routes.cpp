// /api/v1/students/{studentNumber}/corrections: corrections of a student's protected fields
// as approval cases (registry/student_correction.hpp), and their history.
#include "api/api_context.hpp"
#include "api/caller.hpp"
#include "api/case_support.hpp"
#include "api/duplicate_probe.hpp"
#include "api/student_viewer_of.hpp"
#include "identity/permissions.hpp"
#include "registry/duplicate_student.hpp"
#include "registry/student_correction.hpp"
#include "registry/student_input.hpp"

namespace nemis::api {
namespace {

namespace perm = identity::perm;

// The request body's members: the new values, then the evidence.
Result<registry::CorrectionRequest> RequestOf(const Json& body) {
  registry::CorrectionRequest r;
  const std::pair<std::string_view, std::optional<std::string>*> values[] = {
      {"name", &r.name},
      {"gender", &r.gender},
      {"birthDate", &r.birth_date},
      {"idType", &r.id_type},
      {"idNumber", &r.id_number}};
  std::vector<FieldError> errors;
  for (const auto& [name, member] : body.items()) {
    bool known = name == "reason" || name == "document" || name == "date";
    for (const auto& [field, out] : values) {
      if (name != field) continue;
      known = true;
      // null clears a value (a J student's wrong ID); validation says what must be there.
      if (!member.is_null() && !JsonText(member))
        errors.push_back({name, "bad_type", name + " 应为文本"});
      *out = JsonText(member).value_or("");
    }
    if (!known) errors.push_back({name, "unknown_field", "不能在更正申请中提交 " + name});
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors), "更正申请含有无法处理的字段");
  r.reason = MemberText(body, "reason");
  r.document = MemberText(body, "document");
  r.date = MemberText(body, "date");
  return r;
}

http::Response OpenCorrection(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto request = RequestOf(*body);
  if (!request.ok()) return ErrorJson(request.error(), req);
  // A correction to a guessed ID answers like a registration: the same watch on probing.
  DuplicateProbeWatch probe(ctx, req, caller);
  if (request->id_number)
    if (Status s = probe.Check(); !s.ok()) return ErrorJson(s.error(), req);
  auto opened = ctx.corrections->Open(ActorOf(req, caller), caller.scope,
                                      req.PathParam("studentNumber"), *request);
  if (!opened.ok()) {
    if (opened.error().code == registry::kRegisteredElsewhere)
      (void)probe.RecordHit(*request->id_number, {{"via", "correction"}});
    return ErrorJson(opened.error(), req);
  }
  auto allowed = AllowedActions(ctx, caller, *opened);
  // 202: accepted, applied once the school and the county have approved.
  return allowed.ok() ? CaseResponse(*opened, *allowed, 202) : ErrorJson(allowed.error(), req);
}

Json OptionalJson(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }

Json CorrectionsJson(const std::vector<registry::Correction>& corrections) {
  Json items = Json::array();
  for (const registry::Correction& k : corrections) {
    Json fields = Json::array();
    for (const registry::CorrectedValue& v : k.values)
      fields.push_back({{"field", registry::FieldName(v.field)},
                        {"label", registry::FieldLabel(v.field)},
                        {"from", OptionalJson(v.before)},
                        {"to", OptionalJson(v.after)}});
    items.push_back({{"caseId", k.case_id},
                     {"status", k.applied ? "applied" : "pending"},
                     {"fields", fields},
                     {"reason", k.reason},
                     {"document", k.document},
                     {"date", OptionalJson(k.date)},
                     {"openedAt", k.opened_at},
                     {"approvedOn", OptionalJson(k.approved_on)},
                     {"appliedAt", OptionalJson(k.applied_at)}});
  }
  return items;
}

// The history shows the values whole exactly when the student's own record does: the read
// of the student decides it and audits the disclosure (registry/student_viewer.hpp).
http::Response History(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto student = ctx.students.Get(StudentViewerOf(req, caller), req.PathParam("studentNumber"));
  if (!student.ok()) return ErrorJson(student.error(), req);
  const bool whole = student->personal_view == registry::PersonalView::kWhole;
  auto history = ctx.corrections->History(student->id, whole);
  if (!history.ok()) return ErrorJson(history.error(), req);
  return JsonResponse(200, {{"items", CorrectionsJson(*history)}, {"masked", !whole}});
}

}  // namespace

void AddCorrectionRoutes(http::Router& router, ApiContext& ctx) {
  http::RouteOptions sensitive{.sensitive_params = {"studentNumber"}};
  AddApiRoute(
      router, ctx, "POST", "/api/v1/students/{studentNumber}/corrections",
      Access::Needs(perm::kStudentUpdate),
      [&ctx](http::Request& req, const Caller& c) { return OpenCorrection(ctx, req, c); },
      sensitive);
  AddApiRoute(
      router, ctx, "GET", "/api/v1/students/{studentNumber}/corrections",
      Access::Needs(perm::kStudentView),
      [&ctx](http::Request& req, const Caller& c) { return History(ctx, req, c); }, sensitive);
}

}  // namespace nemis::api
