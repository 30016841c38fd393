#include "registry/transfer.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "codes/division.hpp"
#include "codes/province_list.hpp"
#include "codes/stage.hpp"
#include "db/change_log.hpp"
#include "org/authority.hpp"
#include "org/org_store.hpp"
#include "registry/personal_mask.hpp"
#include "registry/status_change.hpp"
#include "registry/student_lock.hpp"
#include "registry/transfer_external.hpp"
#include "registry/transfer_lookup.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::registry {
namespace {

using Json = nlohmann::json;
using workflow::ApprovalCase;

constexpr std::string_view kTransferPrefix = "transfer.";
constexpr size_t kMaxClassChars = 20;
constexpr size_t kMaxReasonChars = 200;
constexpr std::string_view kMoveStudent =
    "UPDATE student SET school_id = $1, school_code = $2, province_code = $3, city_code = $4, "
    "county_code = $5, grade = $6, class_no = $7, grade_mark = $10, version = version + 1, "
    "updated_at = $8 WHERE id = $9";
constexpr std::string_view kSchoolPromotions =
    "SELECT code, promotions, promoted_year FROM org WHERE code IN ($1, $2)";

// 学生当前状态码 (codes::StudentStatusCodes) that matter to a transfer.
constexpr std::string_view kInSchool = "01", kResumed = "05", kSuspended = "02",
                           kDisciplined = "04";

struct ParsedRequest {
  std::string number, name, to_school, class_no, reason, from_province;
  int grade = 0;
  Date date;
};

Result<ParsedRequest> Parse(const TransferRequest& in) {
  ParsedRequest out;
  std::vector<FieldError> errors;
  auto text = [&](std::string_view value, const char* field, const char* label) {
    std::string trimmed(TrimSpaces(value));
    if (trimmed.empty()) errors.push_back({field, "required", std::string(label) + "不能为空"});
    return trimmed;
  };
  out.number = text(in.student_number, "studentNumber", "学籍号");
  out.name = std::string(TrimSpaces(in.name));
  out.to_school = text(in.to_school, "toSchool", "转入学校");
  out.class_no = text(in.class_no, "class", "转入班级");
  if (!out.class_no.empty() &&
      (!IsCleanText(out.class_no) || Utf8Length(out.class_no) > kMaxClassChars))
    errors.push_back({"class", "bad_class", "班号须为不超过 20 个字符的文本"});
  out.reason = text(in.reason, "reason", "转学原因");
  if (!out.reason.empty() && (!IsCleanText(out.reason) || Utf8Length(out.reason) > kMaxReasonChars))
    errors.push_back({"reason", "bad_reason", "转学原因须为不超过 200 个字符的文本"});
  if (auto grade = codes::ParseGrade(TrimSpaces(in.grade)))
    out.grade = *grade;
  else
    errors.push_back({"grade", TrimSpaces(in.grade).empty() ? "required" : "bad_grade",
                      "转入年级“" + in.grade + "”无法识别"});
  if (auto date = ParseIsoDate(TrimSpaces(in.date)))
    out.date = *date;
  else
    errors.push_back(
        {"date", TrimSpaces(in.date).empty() ? "required" : "bad_date", "转学日期须为 YYYY-MM-DD"});
  if (std::string from(TrimSpaces(in.from_province)); !from.empty()) {
    if (from.size() == 2) from += "0000";
    if (codes::DivisionLevelOf(from) != codes::DivisionLevel::kProvince ||
        !codes::IsKnownDivision(from))
      errors.push_back({"fromProvince", "bad_province", "转出省须为省级行政区划代码（如 45）"});
    else
      out.from_province = from.substr(0, 2);
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors), "转学申请不完整");
  return out;
}

ExternalTransfer ExternalOf(const ParsedRequest& r, const std::string& subject) {
  return {r.from_province, r.number, r.name, subject, r.grade, r.class_no, r.reason, r.date};
}

// The permission that opens a transfer at the receiving school: the opener's of every
// transfer workflow (definitions/builtin.json).
const std::string& ReceivingPermission() {
  return workflow::DefinitionCatalog::Builtin().Find("transfer.same_county")->opener.permission;
}

Error NoSuchStudent() {
  return Error::NotFound("没有与所给学籍号（或身份证件号）和姓名都相符的学生");
}

Result<org::Institution> LoadSchool(db::Connection& c, const std::string& code) {
  NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, code));
  if (!school || school->level != org::OrgLevel::kSchool)
    return Error::Invalid({{"toSchool", "unknown_school", "学校标识码 " + code + " 未登记"}},
                          "转入学校不存在");
  return *school;
}

Status CheckStudent(const Student& s) {
  const std::string& status = s.enrolment.status;
  if (status == kSuspended)
    return Error::Refused("student_suspended", "该生处于休学状态，不能转学");
  if (status == kDisciplined)
    return Error::Refused("student_disciplined", "该生处于停学（处分）期间，不能转学");
  if (status != kInSchool && status != kResumed)
    return Error::Refused("student_not_active", "该生不在读（学籍状态 " + status + "），不能转学");
  return {};
}

// The 2-digit province of an institution (its province code is the 6-digit division, 440000).
std::string ProvincePrefix(const org::Institution& at) {
  return at.province_code.value_or("").substr(0, 2);
}

// The receiving school teaches the student's stage and the grade asked for, within the
// receiving province's rules.
Status CheckPlacement(const org::Institution& to, const Student& s, int grade,
                      const TransferRules& rules) {
  auto stage = codes::ParseStage(s.enrolment.stage);
  auto offered = codes::StagesOfSchoolType(to.school_type.value_or(""));
  if (!stage || std::find(offered.begin(), offered.end(), *stage) == offered.end())
    return Error::Refused("stage_not_offered", "转入学校不设该生所在学段，转学不能改变学段");
  if (!codes::GradeInStage(*stage, grade))
    return Error::Refused("grade_not_offered", "转入年级不属于该生所在学段（" +
                                                   std::string(codes::StageName(*stage)) + "）");
  if (grade != s.enrolment.grade && rules.same_grade_provinces.count(ProvincePrefix(to)))
    return Error::Refused("grade_change_not_allowed", "本省只允许同年级转学");
  return {};
}

struct Chain {
  std::string type;
  std::map<std::string, std::string> parties;
};

// STANDARDS.md: same county, across counties, across provinces (each province added).
Chain ChainFor(const org::Institution& from, const org::Institution& to) {
  Chain chain;
  chain.parties = {{"receiving_school", to.code}, {"sending_school", from.code}};
  const std::string from_county = org::CountyAuthorityOf(from),
                    to_county = org::CountyAuthorityOf(to);
  if (from_county == to_county) {
    chain.type = "transfer.same_county";
    chain.parties["county"] = to_county;
    return chain;
  }
  chain.parties["receiving_county"] = to_county;
  chain.parties["sending_county"] = from_county;
  if (from.province_code == to.province_code) {
    chain.type = "transfer.other_county";
    return chain;
  }
  chain.type = "transfer.other_province";
  chain.parties["receiving_province"] = to.province_code.value_or("");
  chain.parties["sending_province"] = from.province_code.value_or("");
  return chain;
}

// What the case shows its parties: the student masked, and where from and to.
std::string DetailsJson(const Student& s, const org::Institution& from, const org::Institution& to,
                        const ParsedRequest& r) {
  return Json{
      {"student",
       {{"number", MaskStudentNumberForRecords(s.student_number)},
        {"name", MaskName(s.name)},
        {"gender", s.gender}}},
      {"stage", s.enrolment.stage},
      {"from",
       {{"school", from.code},
        {"schoolName", from.name},
        {"grade", s.enrolment.grade},
        {"class", s.enrolment.class_no}}},
      {"to",
       {{"school", to.code}, {"schoolName", to.name}, {"grade", r.grade}, {"class", r.class_no}}},
      {"reason", r.reason},
      {"date", r.date.ToIso()}}
      .dump();
}

}  // namespace

TransferRules TransferRules::Parse(std::string_view codes) {
  TransferRules rules;
  rules.same_grade_provinces = codes::ParseProvinceList(codes);
  return rules;
}

bool IsTransferCase(std::string_view type) { return type.starts_with(kTransferPrefix); }

Result<ApprovalCase> Transfers::Open(const workflow::Actor& actor, const TransferRequest& request) {
  NEMIS_ASSIGN_OR_RETURN(ParsedRequest r, Parse(request));
  const std::string subject = StudentSubject(cipher_, r.number);
  return db_.Write<ApprovalCase>([&](db::Connection& c) -> Result<ApprovalCase> {
    NEMIS_ASSIGN_OR_RETURN(org::Institution to, LoadSchool(c, r.to_school));
    // Before anything about the student: who may not receive at this school learns nothing.
    if (!actor.may || !actor.may(ReceivingPermission(), to))
      return Error::Forbidden("没有在转入学校发起转学的权限");
    if (!to.open) return Error::Refused("school_closed", "转入学校已撤销，不能接收学生");
    NEMIS_ASSIGN_OR_RETURN(auto student, LoadSubjectForUpdate(c, cipher_, subject));
    if (!student && !r.from_province.empty()) {
      NEMIS_ASSIGN_OR_RETURN(bool elsewhere, ProvinceElsewhere(c, r.from_province));
      if (elsewhere)
        return OpenExternalTransfer(c, cipher_, cases_, actor, to, ExternalOf(r, subject),
                                    rules_.calendar, clock_.TodayInChina(),
                                    FormatUtc(clock_.Now()));
    }
    if (!student || (!r.name.empty() && student->name != r.name)) return NoSuchStudent();
    if (student->enrolment.school_code == to.code)
      return Error::Refused("same_school", "该生已在转入学校就读");
    NEMIS_ASSIGN_OR_RETURN(auto from, org::OrgStore::Load(c, student->enrolment.school_code));
    if (!from || !from->open)
      return Error::Refused("sending_school_closed",
                            "转出学校不存在或已撤销，须先由主管部门处理该生学籍");
    NEMIS_TRY(CheckStudent(*student));
    NEMIS_TRY(CheckYearEnd(rules_.calendar, clock_.TodayInChina(), *student, NewCase::kTransfer));
    NEMIS_ASSIGN_OR_RETURN(bool pending, workflow::CaseStore::HasOpen(c, subject, kTransferPrefix));
    if (pending) return Error::Refused("transfer_pending", "该生已有在办的转学申请");
    NEMIS_TRY(CheckPlacement(to, *student, r.grade, rules_));
    Chain chain = ChainFor(*from, to);
    const workflow::WorkflowDefinition* definition =
        workflow::DefinitionCatalog::Builtin().Find(chain.type);
    if (definition == nullptr) return Error::Internal("no workflow " + chain.type);
    return cases_.OpenIn(c, actor, *definition, subject, chain.parties,
                         DetailsJson(*student, *from, to, r));
  });
}

namespace {

struct Placement {
  std::string school;
  int grade = 0;
  std::string class_no;
};

Placement PlacementOf(const Json& side) {
  return {side.value("school", ""), side.value("grade", 0), side.value("class", "")};
}

StatusChange ChangeOf(const std::string& type, const ApprovalCase& kase, const Json& details,
                      const Placement& from, const Placement& to, const Student& s,
                      const std::string& today, const std::string& now) {
  StatusChange change;
  change.type = type;
  change.change_date = details.value("date", today);
  change.reason = details.value("reason", "");
  change.approved_on = today;
  change.approval_ref = "case:" + std::to_string(kase.id);
  change.case_id = kase.id;
  change.from_school = from.school;
  change.to_school = to.school;
  change.from_grade = from.grade;
  change.to_grade = to.grade;
  change.from_class = from.class_no;
  change.to_class = to.class_no;
  change.status_before = change.status_after = s.enrolment.status;
  change.recorded_at = now;
  return change;
}

// A school's promotions so far and the year of the last (current_grade.hpp).
struct Promotions {
  int64_t count = 0, year = 0;
};

// The two schools' promotions, held until the transaction ends (PostgreSQL FOR SHARE; SQLite
// has one writer), so that no promotion commits between the student's grade read and its move.
Result<std::map<std::string, Promotions>> HoldPromotions(db::Connection& c, const std::string& from,
                                                         const std::string& to) {
  std::string sql(kSchoolPromotions);
  if (c.backend() == db::Backend::kPostgres) sql += " FOR SHARE";
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, {from, to}));
  std::map<std::string, Promotions> out;
  for (const auto& row : rs.rows) out[row.Text(0)] = {row.Int(1), row.Int(2)};
  return out;
}

// The receiving school's promotion count the student's grade is as of: its count, one more
// when the sending school has had this year's promotion and the receiving one not yet (the
// student is not promoted twice), one less the other way round (it is promoted there).
int64_t MarkAtReceivingSchool(const Promotions& from, const Promotions& to) {
  return to.count + std::clamp<int64_t>(from.year - to.year, -1, 1);
}

}  // namespace

Status Transfers::OnEnd(db::Connection& c, const workflow::Actor& actor, const ApprovalCase& kase) {
  if (kase.type == kExternalTransferType) return OnExternalEnd(kase);
  if (kase.status != workflow::CaseStatus::kApproved) return {};
  const Json details = Json::parse(kase.details, nullptr, false);
  if (!details.is_object())
    return Error::Internal("transfer case " + std::to_string(kase.id) + " has no details");
  const Placement from = PlacementOf(details.value("from", Json::object()));
  Placement to = PlacementOf(details.value("to", Json::object()));
  NEMIS_ASSIGN_OR_RETURN(auto promotions, HoldPromotions(c, from.school, to.school));
  NEMIS_ASSIGN_OR_RETURN(auto student, LoadSubjectForUpdate(c, cipher_, kase.subject));
  if (!student || student->enrolment.school_code != from.school)
    return Error::Conflict("transfer_stale", "该生已不在转出学校，转学无法完成，请退回或撤销");
  NEMIS_TRY(CheckStudent(*student));
  // Promoted (or otherwise moved on) since the case was opened: into the grade as far on.
  to.grade += student->enrolment.grade - from.grade;
  NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, to.school));
  if (!school || !school->open)
    return Error::Conflict("school_closed", "转入学校已撤销，转学无法完成");
  Status placed = CheckPlacement(*school, *student, to.grade, rules_);
  if (!placed.ok()) return Error::Conflict(placed.error().code, placed.error().message);

  const std::string now = FormatUtc(clock_.Now());
  const std::string today = clock_.TodayInChina().ToIso();
  Placement was{from.school, student->enrolment.grade, student->enrolment.class_no};
  const int64_t mark = MarkAtReceivingSchool(promotions[from.school], promotions[to.school]);
  NEMIS_TRY(
      c.Defer(kMoveStudent, {school->id, school->code, school->province_code, school->city_code,
                             school->county_code, to.grade, to.class_no, now, student->id, mark}));
  NEMIS_TRY(RecordStatusChange(c, student->id,
                               ChangeOf("21", kase, details, was, to, *student, today, now)));
  NEMIS_TRY(RecordStatusChange(c, student->id,
                               ChangeOf("22", kase, details, was, to, *student, today, now)));
  const int64_t ids[] = {student->id};
  NEMIS_TRY(db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now));
  NEMIS_TRY(cases_.CloseOthers(
      c, actor, kase.subject, kase.id,
      "该生的转学已经案件 " + std::to_string(kase.id) + " 审批通过，本案自动关闭"));
  return {};
}

}  // namespace nemis::registry
