// POST /api/v1/transfers/lookup: the receiving school's first step of a transfer (转学).
// It names the student as the family gives them (student number or resident ID number, and
// name) and gets back only what the transfer needs, masked (registry/transfer_lookup.hpp).
// A POST, so that neither the number nor the name is in a URL or an access log. Every
// lookup is audited, found or not, with the number masked; each account has a token bucket
// (registry.transfer_lookups_per_minute) so that it cannot test numbers in bulk.
#include <memory>

#include "api/api_context.hpp"
#include "api/api_json.hpp"
#include "api/audit_trail.hpp"
#include "api/caller.hpp"
#include "api/case_support.hpp"
#include "api/next_stage_routes.hpp"
#include "api/public_throttle.hpp"
#include "audit/audit_entry.hpp"
#include "identity/permissions.hpp"
#include "registry/personal_mask.hpp"
#include "registry/transfer.hpp"

namespace nemis::api {
namespace {

struct LookupRequest {
  registry::TransferKey key = registry::TransferKey::kStudentNumber;
  std::string value;
  std::string name;
};

Result<LookupRequest> ParseLookup(const Json& body) {
  auto text = [&](const char* field) -> std::string {
    auto it = body.find(field);
    return it != body.end() && it->is_string() ? it->get<std::string>() : "";
  };
  LookupRequest out;
  const std::string number = text("studentNumber");
  const std::string id = text("idNumber");
  out.name = text("name");
  std::vector<FieldError> errors;
  if (number.empty() == id.empty())
    errors.push_back({"studentNumber", "required", "须给出学籍号或身份证件号（二者之一）"});
  if (out.name.empty()) errors.push_back({"name", "required", "须给出学生姓名"});
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  out.key =
      number.empty() ? registry::TransferKey::kIdNumber : registry::TransferKey::kStudentNumber;
  out.value = number.empty() ? id : number;
  return out;
}

Json CandidateJson(const registry::TransferCandidate& c) {
  return {{"studentNumber", c.student_number},
          {"name", c.name},
          {"gender", c.gender},
          {"schoolCode", c.school_code},
          {"schoolName", c.school_name},
          {"stage", c.stage},
          {"grade", c.grade},
          {"status", c.status}};
}

std::string MaskedKey(const LookupRequest& r) {
  return r.key == registry::TransferKey::kStudentNumber ? registry::MaskStudentNumber(r.value)
                                                        : registry::MaskDocumentNumber(r.value);
}

http::Response Lookup(ApiContext& ctx, PublicThrottle& throttle, http::Request& req,
                      const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  auto lookup = ParseLookup(*body);
  if (!lookup.ok()) return ErrorJson(lookup.error(), req);
  if (int64_t wait = throttle.Take(caller.account, PublicThrottle::Clock::now()))
    return RateLimited(wait, req);
  auto found = ctx.students.FindForTransfer(lookup->key, lookup->value, lookup->name);
  if (!found.ok() && found.error().kind != ErrorKind::kNotFound)
    return ErrorJson(found.error(), req);
  Status audited = RecordAudit(
      ctx, req, &caller,
      {"student.transfer_lookup", MaskedKey(*lookup),
       found.ok() ? audit::kSuccess : audit::kFailure, Json{{"found", found.ok()}}.dump()});
  // No entry, no answer: a lookup that could not be audited names no student.
  if (!audited.ok()) return ErrorJson(audited.error(), req);
  return found.ok() ? JsonResponse(200, CandidateJson(*found)) : ErrorJson(found.error(), req);
}

registry::TransferRequest TransferRequestOf(const Json& body) {
  return {MemberText(body, "studentNumber"), MemberText(body, "name"),
          MemberText(body, "toSchool"),      MemberText(body, "grade"),
          MemberText(body, "class"),         MemberText(body, "reason"),
          MemberText(body, "date"),          MemberText(body, "fromProvince")};
}

// Opening a transfer names a student of another school as the lookup does, so it shares
// the lookup's token bucket, and an answer that names no student is audited like one.
http::Response OpenTransfer(ApiContext& ctx, PublicThrottle& throttle, http::Request& req,
                            const Caller& caller) {
  auto body = ParseJsonObject(req);
  if (!body.ok()) return ErrorJson(body.error(), req);
  if (int64_t wait = throttle.Take(caller.account, PublicThrottle::Clock::now()))
    return RateLimited(wait, req);
  const registry::TransferRequest request = TransferRequestOf(*body);
  auto opened = ctx.transfers->Open(ActorOf(req, caller), request);
  if (opened.ok()) {
    auto allowed = AllowedActions(ctx, caller, *opened);
    return allowed.ok() ? CaseResponse(*opened, *allowed, 201) : ErrorJson(allowed.error(), req);
  }
  if (opened.error().kind == ErrorKind::kNotFound) {
    Status audited =
        RecordAudit(ctx, req, &caller,
                    {"student.transfer_open", registry::MaskStudentNumber(request.student_number),
                     audit::kFailure, Json{{"found", false}}.dump()});
    if (!audited.ok()) return ErrorJson(audited.error(), req);
  }
  return ErrorJson(opened.error(), req);
}

}  // namespace

void AddTransferRoutes(http::Router& router, ApiContext& ctx) {
  auto throttle = std::make_shared<PublicThrottle>(
      PublicThrottle::Settings{ctx.config.GetInt("registry.transfer_lookups_per_minute"),
                               ctx.config.GetInt("registry.transfer_lookup_burst"), 100000});
  AddApiRoute(router, ctx, "POST", "/api/v1/transfers/lookup",
              Access::Needs(identity::perm::kStudentCreate),
              [&ctx, throttle](http::Request& req, const Caller& caller) {
                return Lookup(ctx, *throttle, req, caller);
              });
  AddApiRoute(router, ctx, "POST", "/api/v1/transfers",
              Access::Needs(identity::perm::kStudentCreate),
              [&ctx, throttle](http::Request& req, const Caller& caller) {
                return OpenTransfer(ctx, *throttle, req, caller);
              });
  AddNextStageRoutes(router, ctx, throttle);
}

}  // namespace nemis::api
