#include "registry/transfer_external.hpp"

#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "codes/division.hpp"
#include "codes/stage.hpp"
#include "crypto/encoding.hpp"
#include "org/authority.hpp"
#include "org/org_store.hpp"
#include "registry/personal_mask.hpp"
#include "registry/transfer_lookup.hpp"
#include "workflow/definition_catalog.hpp"
#include "workflow/external_party.hpp"

namespace nemis::registry {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kRecord =
    "INSERT INTO external_transfer (case_id, node, person, created_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kStanding =
    "SELECT state, progress, withdrawal, withdrawal_asked_at, withdrawal_asked_by "
    "FROM external_transfer WHERE case_id = $1";
constexpr std::string_view kAskWithdrawal =
    "UPDATE external_transfer SET withdrawal = $2, withdrawal_asked_at = $3, "
    "withdrawal_asked_by = $4 WHERE case_id = $1 AND state = 'waiting' AND withdrawal IS NULL";
constexpr size_t kMaxReasonChars = 200;

// G, J or L and 18 characters: digits, the last a digit or X (STANDARDS.md student numbers).
bool IsStudentNumberShape(std::string_view n) {
  if (n.size() != 19 || (n[0] != 'G' && n[0] != 'J' && n[0] != 'L')) return false;
  for (size_t i = 1; i < n.size(); ++i)
    if (!(n[i] >= '0' && n[i] <= '9') && !(i == n.size() - 1 && n[i] == 'X')) return false;
  return true;
}

Status CheckRequest(const ExternalTransfer& r) {
  std::vector<FieldError> errors;
  if (!IsStudentNumberShape(r.student_number))
    errors.push_back({"studentNumber", "bad_number",
                      "外省学生须填写完整的全国学籍号（G、J 或 L 字头，共 19 位）"});
  if (r.name.empty())
    errors.push_back({"name", "required", "外省学生须填写姓名，由转出省节点核对"});
  if (errors.empty()) return {};
  return Error::Invalid(std::move(errors), "转学申请不完整");
}

std::string ProvinceName(const std::string& province2) {
  const codes::Division* d = codes::FindDivision(province2 + "0000");
  return d != nullptr ? std::string(d->name) : province2;
}

// What the case shows its parties: the student masked, the other province, where to.
std::string DetailsJson(const ExternalTransfer& r, const org::Institution& to, codes::Stage stage) {
  return Json{
      {"student",
       {{"number", MaskStudentNumberForRecords(r.student_number)}, {"name", MaskName(r.name)}}},
      {"stage", codes::StageId(stage)},
      {"from",
       {{"school", ""},
        {"schoolName", ProvinceName(r.from_province) + "（其他节点）"},
        {"province", r.from_province + "0000"}}},
      {"to",
       {{"school", to.code}, {"schoolName", to.name}, {"grade", r.grade}, {"class", r.class_no}}},
      {"reason", r.reason},
      {"date", r.date.ToIso()},
      {"external", true}}
      .dump();
}

}  // namespace

bool WaitsAtOtherNode(const workflow::ApprovalCase& kase) {
  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(kExternalTransferType);
  return kase.type == kExternalTransferType && definition != nullptr &&
         kase.step == static_cast<int>(definition->steps.size()) - 1;
}

Status OnExternalEnd(const workflow::ApprovalCase& kase) {
  if (kase.status == workflow::CaseStatus::kApproved)
    return Error::Refused("external_case", "转出方在其他节点，须经数据交换平台办结");
  if (kase.status == workflow::CaseStatus::kCancelled && WaitsAtOtherNode(kase))
    return Error::Refused(
        "transfer_at_other_node",
        "转出省节点正在审核，案件不能直接撤销；请申请撤回（withdraw），由转出省节点确认");
  return {};
}

Result<std::optional<ExternalStanding>> LoadExternalStanding(db::Connection& c, int64_t case_id) {
  NEMIS_ASSIGN_OR_RETURN(auto rows, c.Query(kStanding, {case_id}));
  if (rows.rows.empty()) return std::optional<ExternalStanding>();
  const db::Row& r = rows.rows[0];
  auto text = [&r](size_t i) { return r.IsNull(i) ? std::string() : r.Text(i); };
  return std::optional<ExternalStanding>(
      ExternalStanding{text(0), text(1), text(2), text(3), text(4)});
}

Status AskWithdrawal(db::Connection& c, const workflow::ApprovalCase& kase,
                     std::string_view account, std::string_view reason, std::string_view now) {
  if (kase.opened_by != account) return Error::Forbidden("只有发起转学申请的人可以申请撤回");
  if (!kase.IsOpen() || !WaitsAtOtherNode(kase))
    return Error::Conflict("not_at_other_node",
                           "案件不在等待转出省节点审核，不能申请撤回（尚在本省审核的可直接撤销）");
  if (reason.empty()) return Error::Invalid({{"reason", "required", "请写明撤回理由"}});
  if (!IsCleanText(reason) || Utf8Length(reason) > kMaxReasonChars)
    return Error::Invalid({{"reason", "bad_reason", "撤回理由须为不超过 200 个字符的文本"}});
  NEMIS_ASSIGN_OR_RETURN(auto asked, c.Query(kAskWithdrawal, {kase.id, reason, now, account}));
  if (asked.affected == 0)
    return Error::Conflict("withdrawal_asked", "已申请撤回，正等待转出省节点确认");
  return {};
}

Result<bool> ProvinceElsewhere(db::Connection& c, const std::string& province2) {
  NEMIS_ASSIGN_OR_RETURN(auto division, org::OrgStore::Load(c, province2 + "0000"));
  return !division.has_value();
}

Result<workflow::ApprovalCase> OpenExternalTransfer(
    db::Connection& c, const crypto::FieldCipher& cipher, workflow::CaseStore& cases,
    const workflow::Actor& actor, const org::Institution& to, const ExternalTransfer& request,
    const RegistryCalendar& calendar, Date today, const std::string& now) {
  NEMIS_TRY(CheckRequest(request));
  auto stage = codes::StageForGrade(to.school_type.value_or(""), request.grade);
  if (!stage) return Error::Refused("grade_not_offered", "转入学校不设该年级");
  // The year-end freezes by the grade the student comes into (its current grade is not here).
  Student arriving;
  arriving.enrolment.stage = codes::StageId(*stage);
  arriving.enrolment.grade = request.grade;
  NEMIS_TRY(CheckYearEnd(calendar, today, arriving, NewCase::kTransfer));
  NEMIS_ASSIGN_OR_RETURN(bool pending,
                         workflow::CaseStore::HasOpen(c, request.subject, "transfer."));
  if (pending) return Error::Refused("transfer_pending", "该生已有在办的转学申请");

  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(kExternalTransferType);
  if (definition == nullptr) return Error::Internal("no workflow transfer.external_in");
  const std::string node = workflow::ExternalNodeParty(request.from_province);
  const std::map<std::string, std::string> parties = {
      {"receiving_school", to.code},
      {"receiving_county", org::CountyAuthorityOf(to)},
      {"receiving_province", to.province_code.value_or("")},
      {"sending_node", node}};
  NEMIS_ASSIGN_OR_RETURN(auto kase, cases.OpenIn(c, actor, *definition, request.subject, parties,
                                                 DetailsJson(request, to, *stage)));
  const std::string person = crypto::Base64UrlEncode(
      cipher.Seal(Json{{"studentNumber", request.student_number}, {"name", request.name}}.dump()));
  NEMIS_TRY(c.Query(kRecord, {kase.id, node, person, now}));
  return kase;
}

}  // namespace nemis::registry
