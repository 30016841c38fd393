#include "registry/status_change_cases.hpp"

#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "codes/stage.hpp"
#include "db/change_log.hpp"
#include "org/authority.hpp"
#include "org/org_store.hpp"
#include "registry/personal_mask.hpp"
#include "registry/status_change.hpp"
#include "registry/student_lock.hpp"
#include "registry/text_fields.hpp"
#include "registry/transfer_lookup.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::registry {
namespace {

using Json = nlohmann::json;
using workflow::ApprovalCase;

constexpr std::string_view kTypePrefix = "status.";
constexpr std::string_view kApplyChange =
    "UPDATE student SET status = $1, grade = $2, class_no = $3, grade_mark = $6, "
    "version = version + 1, updated_at = $4 WHERE id = $5";

struct ParsedRequest {
  const StatusChangeRule* rule = nullptr;
  std::string reason, document, class_no;
  std::optional<int> grade;
  Date date;
};

Result<ParsedRequest> Parse(const StatusChangeRequest& in) {
  ParsedRequest out;
  std::vector<FieldError> errors;
  out.rule = FindStatusChangeRule(TrimSpaces(in.type));
  if (out.rule == nullptr)
    errors.push_back({"type", in.type.empty() ? "required" : "unknown_type",
                      "异动类别“" + in.type + "”不能在此办理（转学见转学申请）"});
  out.reason = std::string(TrimSpaces(in.reason));
  if (out.reason.empty()) errors.push_back({"reason", "required", "异动原因不能为空"});
  CheckFreeText(out.reason, "reason", kMaxReasonChars, "异动原因", errors);
  out.document = std::string(TrimSpaces(in.document));
  CheckFreeText(out.document, "documentNumber", kMaxDocumentChars, "文号", errors);
  out.class_no = std::string(TrimSpaces(in.class_no));
  CheckFreeText(out.class_no, "class", kMaxClassChars, "班号", errors);
  if (auto date = ParseIsoDate(TrimSpaces(in.date)))
    out.date = *date;
  else
    errors.push_back(
        {"date", in.date.empty() ? "required" : "bad_date", "异动日期须为 YYYY-MM-DD"});
  if (!TrimSpaces(in.grade).empty()) {
    out.grade = codes::ParseGrade(TrimSpaces(in.grade));
    if (!out.grade) errors.push_back({"grade", "bad_grade", "年级“" + in.grade + "”无法识别"});
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors), "异动申请不完整");
  return out;
}

Json Side(int grade, const std::string& class_no, const std::string& status) {
  return {{"grade", grade}, {"class", class_no}, {"status", status}};
}

std::string DetailsJson(const Student& s, const org::Institution& school, const ParsedRequest& r,
                        const StatusChangeTarget& to) {
  return Json{{"student",
               {{"number", MaskStudentNumberForRecords(s.student_number)},
                {"name", MaskName(s.name)},
                {"gender", s.gender}}},
              {"school", {{"code", school.code}, {"name", school.name}}},
              {"change", {{"type", r.rule->type}, {"name", r.rule->name}}},
              {"from", Side(s.enrolment.grade, s.enrolment.class_no, s.enrolment.status)},
              {"to", Side(to.grade, to.class_no, to.status)},
              {"reason", r.reason},
              {"document", r.document},
              {"date", r.date.ToIso()}}
      .dump();
}

}  // namespace

bool IsStatusChangeCase(std::string_view type) { return type.starts_with(kTypePrefix); }

Result<ApprovalCase> StatusChangeCases::Open(const workflow::Actor& actor, const org::Scope& scope,
                                             std::string_view student_number,
                                             const StatusChangeRequest& request) {
  NEMIS_ASSIGN_OR_RETURN(ParsedRequest r, Parse(request));
  const std::string subject = StudentSubject(cipher_, student_number);
  const std::string type = std::string(kTypePrefix) + std::string(r.rule->type);
  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(type);
  if (definition == nullptr) return Error::Internal("no workflow " + type);
  return db_.Write<ApprovalCase>([&](db::Connection& c) -> Result<ApprovalCase> {
    NEMIS_ASSIGN_OR_RETURN(auto student, LoadSubjectForUpdate(c, cipher_, subject));
    if (!student) return Error::NotFound("学籍号对应的学生不存在");
    NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, student->enrolment.school_code));
    if (!school || !scope.Contains(*school)) return Error::NotFound("学籍号对应的学生不存在");
    // Before anything about the student: who may not ask at this school learns nothing more.
    if (!actor.may || !actor.may(definition->opener.permission, *school))
      return Error::Forbidden("没有为该校学生申请学籍异动的权限");
    NEMIS_ASSIGN_OR_RETURN(bool pending, workflow::CaseStore::HasOpen(c, subject, ""));
    if (pending) return Error::Refused("case_pending", "该生有在办的审批案件，须先办结");
    if (!r.rule->open_at_year_end)
      NEMIS_TRY(CheckYearEnd(settings_.calendar, clock_.TodayInChina(), *student,
                             NewCase::kStatusChange));
    NEMIS_ASSIGN_OR_RETURN(StatusChangeTarget to,
                           ApplyRule(*r.rule, *student, r.grade, r.class_no, settings_));
    std::map<std::string, std::string> parties = {{"school", school->code}};
    if (definition->Parties().size() > 1) parties["county"] = org::CountyAuthorityOf(*school);
    return cases_.OpenIn(c, actor, *definition, subject, parties,
                         DetailsJson(*student, *school, r, to));
  });
}

Status StatusChangeCases::OnEnd(db::Connection& c, const ApprovalCase& kase) {
  if (kase.status != workflow::CaseStatus::kApproved) return {};
  const Json details = Json::parse(kase.details, nullptr, false);
  if (!details.is_object())
    return Error::Internal("status change case " + std::to_string(kase.id) + " has no details");
  NEMIS_ASSIGN_OR_RETURN(auto student, LoadSubjectForUpdate(c, cipher_, kase.subject));
  const Json& from = details["from"];
  const Json& to = details["to"];
  const std::string school = details["school"].value("code", "");
  if (!student || student->enrolment.school_code != school ||
      student->enrolment.grade != from.value("grade", 0) ||
      student->enrolment.class_no != from.value("class", "") ||
      student->enrolment.status != from.value("status", ""))
    return Error::Conflict("status_change_stale",
                           "该生的学籍已在本案之外发生变化，请退回或撤销后重新申请");
  const std::string now = FormatUtc(clock_.Now());
  StatusChange change;
  change.type = details["change"].value("type", "");
  change.change_date = details.value("date", "");
  change.reason = details.value("reason", "");
  change.approved_on = clock_.TodayInChina().ToIso();
  const std::string document = details.value("document", "");
  change.approval_ref = document.empty() ? "case:" + std::to_string(kase.id) : document;
  change.case_id = kase.id;
  change.from_school = change.to_school = school;
  change.from_grade = from.value("grade", 0);
  change.to_grade = to.value("grade", 0);
  change.from_class = from.value("class", "");
  change.to_class = to.value("class", "");
  change.status_before = from.value("status", "");
  change.status_after = to.value("status", "");
  change.recorded_at = now;
  NEMIS_TRY(c.Defer(kApplyChange, {change.status_after, change.to_grade, change.to_class, now,
                                   student->id, student->enrolment.grade_mark}));
  NEMIS_TRY(RecordStatusChange(c, student->id, change));
  const int64_t ids[] = {student->id};
  return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now);
}

}  // namespace nemis::registry
