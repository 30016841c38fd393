// /api/v1/students: registration, lookup, correction, listing and search.
#include "api/api_context.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/case_support.hpp"
#include "api/duplicate_probe.hpp"
#include "api/student_json.hpp"
#include "api/student_viewer_of.hpp"
#include "codes/code_tables.hpp"
#include "codes/stage.hpp"
#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "identity/permissions.hpp"
#include "registry/duplicate_student.hpp"
#include "registry/quality/student_merge.hpp"
#include "registry/status_change_cases.hpp"

namespace nemis::api {
namespace {

namespace perm = identity::perm;

Json StatusChangesJson(const std::vector<registry::StatusChange>& changes) {
  Json items = Json::array();
  for (const auto& c : changes) {
    const codes::CodeEntry* type = codes::StatusChangeCodes().Find(c.type);
    items.push_back({{"type", c.type},
                     {"typeName", type ? std::string(type->name) : c.type},
                     {"date", c.change_date},
                     {"reason", c.reason},
                     {"approvedOn", c.approved_on ? Json(*c.approved_on) : Json()},
                     {"approvalRef", c.approval_ref ? Json(*c.approval_ref) : Json()},
                     {"caseId", c.case_id ? Json(*c.case_id) : Json()},
                     {"fromSchool", c.from_school},
                     {"toSchool", c.to_school},
                     {"fromGrade", c.from_grade},
                     {"toGrade", c.to_grade},
                     {"fromClass", c.from_class},
                     {"toClass", c.to_class},
                     {"statusBefore", c.status_before},
                     {"statusAfter", c.status_after},
                     {"recordedAt", c.recorded_at},
                     {"mergedRecord", c.merged_record}});
  }
  return items;
}

http::Response OpenStatusChange(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  registry::StatusChangeRequest request{
      MemberText(*body, "type"),           MemberText(*body, "reason"), MemberText(*body, "date"),
      MemberText(*body, "documentNumber"), MemberText(*body, "grade"),  MemberText(*body, "class")};
  auto opened = ctx.status_changes->Open(ActorOf(req, caller), caller.scope,
                                         req.PathParam("studentNumber"), request);
  if (!opened.ok()) return ErrorJson(opened.error(), req);
  auto allowed = AllowedActions(ctx, caller, *opened);
  return allowed.ok() ? CaseResponse(*opened, *allowed, 201) : ErrorJson(allowed.error(), req);
}

// `merged`: the merge that retired the student (GET of one student only).
http::Response StudentResponse(int status, const registry::Student& s,
                               const std::optional<registry::quality::MergedInto>& merged = {}) {
  JsonWriter w;
  WriteStudent(w, s, [&merged](JsonWriter& out) {
    if (merged)
      out.Raw("mergedInto",
              Json{{"studentNumber", merged->student_number}, {"caseId", merged->case_id}}.dump());
  });
  http::Response r;
  r.status = status;
  r.body = w.Take();
  r.SetHeader("ETag", StudentTag(s.version, s.enrolment.grade_mark));
  // The new student's address holds its number, so it goes out only where the body shows
  // that number whole (J and L numbers; a G number to who may see the ID): headers reach
  // proxies' and clients' logs, and a G number is the citizen ID. Anyone else addresses the
  // student by the number it registered: G + the ID it sent.
  if (status == 201 && (s.number_kind != 'G' || s.personal_view == registry::PersonalView::kWhole))
    r.SetHeader("Location", "/api/v1/students/" + s.student_number);
  WarnIfUnaudited(r, std::span(&s, 1));
  return r;
}

http::Response PageOf(const registry::StudentPage& page) {
  JsonWriter w;
  w.BeginObject().BeginArray("items");
  for (const auto& s : page.items) WriteStudent(w, s);
  w.EndArray();
  if (page.next)
    w.Field("next", *page.next);
  else
    w.Null("next");
  w.EndObject();
  http::Response r;
  r.body = w.Take();
  WarnIfUnaudited(r, page.items);
  return r;
}

http::Response Register(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  registry::RegisterOptions options;
  options.attachment = caller.write;
  for (auto [name, flag] : {std::pair{"temporaryNumber", &options.temporary_number},
                            std::pair{"notTemporaryRecord", &options.not_temporary_record}}) {
    auto t = body->find(name);
    if (t == body->end()) continue;
    if (!t->is_boolean())
      return ErrorJson(
          Error::Invalid({{name, "bad_type", std::string(name) + " 应为 true 或 false"}}), req);
    *flag = t->get<bool>();
    body->erase(t);
  }
  if (auto key = req.Header("Idempotency-Key")) {
    if (key->empty() || key->size() > 128)
      return ErrorJson(
          Error::BadRequest("bad_idempotency_key", "Idempotency-Key 长度应为 1 到 128"), req);
    options.idempotency_key = std::string(*key);
    options.body_hash = crypto::ToHex(crypto::Sha256(req.body));
    options.account_id = caller.principal ? caller.principal->account_id : 0;
  }
  std::vector<std::string> storage;
  registry::StudentInput input;
  if (Status s = StudentInputFromJson(*body, storage, input); !s.ok())
    return ErrorJson(s.error(), req);
  DuplicateProbeWatch probe(ctx, req, caller);
  if (Status s = probe.Check(); !s.ok()) return ErrorJson(s.error(), req);
  auto outcome = ctx.students.Register(StudentViewerOf(req, caller), input, options);
  if (!outcome.ok()) {
    if (outcome.error().code == registry::kRegisteredElsewhere)
      (void)probe.RecordHit(input.Get(registry::StudentField::kIdNumber), {{"via", "register"}});
    return ErrorJson(outcome.error(), req);
  }
  return StudentResponse(outcome->replayed ? 200 : 201, outcome->student);
}

http::Response Update(ApiContext& ctx, http::Request& req, const Caller& caller) {
  auto seen = RequiredStudentIfMatch(req);
  if (!seen.ok()) return ErrorJson(seen.error(), req);
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  std::vector<std::string> storage;
  registry::StudentInput changes;
  if (Status s = StudentInputFromJson(*body, storage, changes); !s.ok())
    return ErrorJson(s.error(), req);
  auto student = ctx.students.Update(StudentViewerOf(req, caller), req.PathParam("studentNumber"),
                                     changes, {seen->version, seen->promotions}, caller.write);
  return student.ok() ? StudentResponse(200, *student) : ErrorJson(student.error(), req);
}

Result<registry::StudentListQuery> ListQuery(const http::Request& req) {
  registry::StudentListQuery q;
  q.school_code = std::string(req.Query("school").value_or(""));
  NEMIS_ASSIGN_OR_RETURN(q.limit, IntParam(req, "limit", 50, 1, 500));
  q.after = std::string(req.Query("after").value_or(""));
  if (req.Query("grade")) {
    NEMIS_ASSIGN_OR_RETURN(q.grade, IntParam(req, "grade", 0, -2, 17));
  }
  if (req.Query("gender")) {
    NEMIS_ASSIGN_OR_RETURN(q.gender, IntParam(req, "gender", 0, 1, 2));
  }
  if (auto v = req.Query("class")) q.class_no = std::string(*v);
  if (auto v = req.Query("flags")) {
    for (std::string_view rest = *v; !rest.empty();) {
      size_t comma = rest.find(',');
      if (comma != 0) q.flags.emplace_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (auto v = req.Query("stage")) {
    auto stage = codes::ParseStage(*v);
    if (!stage)
      return Error::BadRequest(
          "bad_parameter", "stage 应为 preschool、primary、junior、senior、vocational 或 higher");
    q.stage = std::string(codes::StageId(*stage));
  }
  if (auto v = req.Query("status")) {
    if (!codes::StudentStatusCodes().Find(*v))
      return Error::BadRequest("bad_parameter", "status 应为学生当前状态代码，例如 01（在读）");
    q.status = std::string(*v);
  }
  return q;
}

http::Response ListOrSearch(ApiContext& ctx, http::Request& req, const Caller& caller) {
  if (auto text = req.Query("q")) {
    auto limit = IntParam(req, "limit", 50, 1, 500);
    if (!limit.ok()) return ErrorJson(limit.error(), req);
    auto page = ctx.students.Search(
        StudentViewerOf(req, caller),
        {std::string(*text), *limit, std::string(req.Query("after").value_or(""))});
    return page.ok() ? PageOf(*page) : ErrorJson(page.error(), req);
  }
  if (!req.Query("school"))
    return ErrorJson(Error::BadRequest("missing_parameter",
                                       "请提供 school（学校标识码）以列出学生，或 q 以搜索"),
                     req);
  auto query = ListQuery(req);
  if (!query.ok()) return ErrorJson(query.error(), req);
  auto page = ctx.students.List(StudentViewerOf(req, caller), *query);
  return page.ok() ? PageOf(*page) : ErrorJson(page.error(), req);
}

}  // namespace

void AddStudentRoutes(http::Router& router, ApiContext& ctx) {
  http::RouteOptions sensitive{.sensitive_params = {"studentNumber"}};
  AddApiRoute(router, ctx, "POST", "/api/v1/students", Access::Needs(perm::kStudentCreate),
              [&ctx](http::Request& req, const Caller& c) { return Register(ctx, req, c); });
  AddApiRoute(router, ctx, "GET", "/api/v1/students", Access::Needs(perm::kStudentView),
              [&ctx](http::Request& req, const Caller& c) { return ListOrSearch(ctx, req, c); });
  AddApiRoute(
      router, ctx, "GET", "/api/v1/students/{studentNumber}", Access::Needs(perm::kStudentView),
      [&ctx](http::Request& req, const Caller& c) {
        auto s = ctx.students.Get(StudentViewerOf(req, c), req.PathParam("studentNumber"));
        if (!s.ok()) return ErrorJson(s.error(), req);
        auto merged = registry::quality::FindMergedInto(ctx.db, ctx.cipher, s->id);
        if (!merged.ok()) return ErrorJson(merged.error(), req);
        return StudentResponse(200, *s, *merged);
      },
      sensitive);
  AddApiRoute(
      router, ctx, "GET", "/api/v1/students/{studentNumber}/changes",
      Access::Needs(perm::kStudentView),
      [&ctx](http::Request& req, const Caller& c) {
        auto changes =
            ctx.students.Changes(StudentViewerOf(req, c), req.PathParam("studentNumber"));
        return changes.ok() ? JsonResponse(200, {{"items", StatusChangesJson(*changes)}})
                            : ErrorJson(changes.error(), req);
      },
      sensitive);
  AddApiRoute(
      router, ctx, "POST", "/api/v1/students/{studentNumber}/status-changes",
      Access::Needs(perm::kStudentUpdate),
      [&ctx](http::Request& req, const Caller& c) { return OpenStatusChange(ctx, req, c); },
      sensitive);
  AddApiRoute(
      router, ctx, "PATCH", "/api/v1/students/{studentNumber}", Access::Needs(perm::kStudentUpdate),
      [&ctx](http::Request& req, const Caller& c) { return Update(ctx, req, c); }, sensitive);
}

}  // namespace nemis::api
