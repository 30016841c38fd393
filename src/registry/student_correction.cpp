#include "registry/student_correction.hpp"

#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "db/change_log.hpp"
#include "org/authority.hpp"
#include "org/org_store.hpp"
#include "registry/duplicate_student.hpp"
#include "registry/personal_mask.hpp"
#include "registry/personal_record.hpp"
#include "registry/store_school_lookup.hpp"
#include "registry/student_input.hpp"
#include "registry/student_lock.hpp"
#include "registry/student_texts.hpp"
#include "registry/student_validation.hpp"
#include "registry/text_fields.hpp"
#include "registry/transfer_lookup.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::registry {
namespace {

using Json = nlohmann::json;
using workflow::ApprovalCase;
using F = StudentField;

constexpr std::string_view kPending = "pending", kApplied = "applied";

constexpr std::string_view kInsertCorrection =
    "INSERT INTO student_correction (case_id, student_id, student_version, state, fields, "
    "sealed, reason, document, change_date, opened_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr std::string_view kSelectPending =
    "SELECT student_id, student_version, sealed FROM student_correction "
    "WHERE case_id = $1 AND state = 'pending'";
constexpr std::string_view kDropPending =
    "DELETE FROM student_correction WHERE case_id = $1 AND state = 'pending'";
constexpr std::string_view kMarkApplied =
    "UPDATE student_correction SET state = $1, approved_on = $2, applied_at = $3 "
    "WHERE case_id = $4";
// The population register's verdict was on the name and ID checked: another name or document
// is unchecked again (quality/population_check.hpp), and no G number is made of it unchecked.
#define NEMIS_SAME_PERSON_CHECKED \
  "name = $1 AND COALESCE(id_type, '') = COALESCE($4, '') AND COALESCE(id_index, '') = COALESCE($5, '')"
constexpr std::string_view kApplyToStudent =
    "UPDATE student SET name = $1, gender = $2, birth_date = $3, id_type = $4, id_index = $5, "
    "personal = $6, id_check = $7, version = version + 1, updated_at = $8, "
    "population_check = CASE WHEN " NEMIS_SAME_PERSON_CHECKED
    " THEN population_check END, "
    "population_checked_on = CASE WHEN " NEMIS_SAME_PERSON_CHECKED
    " THEN population_checked_on END "
    "WHERE id = $9 AND version = $10";
#undef NEMIS_SAME_PERSON_CHECKED
// A pending row whose case was closed without its end running (a bulk clean-up) is no
// correction: only applied rows and those whose case is still open are history.
constexpr std::string_view kSelectHistory =
    "SELECT c.case_id, c.state, c.sealed, c.reason, c.document, c.change_date, c.opened_at, "
    "c.approved_on, c.applied_at FROM student_correction c JOIN wf_case k ON k.id = c.case_id "
    "WHERE c.student_id = $1 AND (c.state = 'applied' OR k.status = 'open') ORDER BY c.case_id";

struct ParsedRequest {
  std::vector<std::pair<F, std::string>> values;  // the fields to correct, as sent
  std::string reason, document;
  std::optional<Date> date;
};

// Required, and free text (text_fields.hpp).
void CheckText(const std::string& text, const char* field, size_t max_chars, const char* label,
               std::vector<FieldError>& errors) {
  if (text.empty())
    errors.push_back({field, "required", std::string(label) + "不能为空"});
  else
    CheckFreeText(text, field, max_chars, label, errors);
}

// What can be checked without the student: the evidence, and that something is corrected.
Result<ParsedRequest> Parse(const CorrectionRequest& in) {
  ParsedRequest out;
  const std::pair<F, const std::optional<std::string>*> given[] = {{F::kName, &in.name},
                                                                   {F::kGender, &in.gender},
                                                                   {F::kBirthDate, &in.birth_date},
                                                                   {F::kIdType, &in.id_type},
                                                                   {F::kIdNumber, &in.id_number}};
  for (const auto& [field, value] : given)
    if (*value) out.values.emplace_back(field, **value);
  std::vector<FieldError> errors;
  out.reason = std::string(TrimSpaces(in.reason));
  CheckText(out.reason, "reason", kMaxReasonChars, "更正原因", errors);
  out.document = std::string(TrimSpaces(in.document));
  CheckText(out.document, "document", kMaxDocumentChars, "证明材料文号", errors);
  if (!TrimSpaces(in.date).empty()) {
    out.date = ParseIsoDate(TrimSpaces(in.date));
    if (!out.date) errors.push_back({"date", "bad_date", "更正日期须为 YYYY-MM-DD 格式的有效日期"});
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors), "更正申请不完整");
  if (out.values.empty())
    return Error{ErrorKind::kInvalid,
                 "nothing_to_correct",
                 "请至少填写一项要更正的内容（姓名、性别、出生日期、身份证件类型或身份证件号）",
                 {}};
  return out;
}

bool ChangesDocument(const ParsedRequest& r) {
  for (const auto& [field, value] : r.values)
    if (field == F::kIdType || field == F::kIdNumber) return true;
  return false;
}

Error GNumberIdChange() {
  const std::string message =
      "该生为 G 字头学籍号（含居民身份证号），更正身份证件须经全国人口信息核查，"
      "本节点暂不能办理；请联系县级学籍主管部门";
  return Error{ErrorKind::kInvalid,
               "g_number_id_change",
               message,
               {{"idNumber", "g_number_id_change", message}}};
}

// The student as the correction would leave it, validated as a whole record by the
// registration's own rules (name, gender, dates, ID check digit, the ID's birth date and
// gender against the record, code tables). The number is left out: it never changes, and a
// J or L number need not follow the corrected gender.
Result<Student> Corrected(db::Connection& c, const org::Scope& scope, Date today,
                          const Student& current, const ParsedRequest& r) {
  internal::StudentTexts texts = internal::TextsOf(current);
  texts[static_cast<size_t>(F::kStudentNumber)].clear();
  for (const auto& [field, value] : r.values) texts[static_cast<size_t>(field)] = value;
  internal::StoreSchoolLookup schools(c);
  ValidationContext ctx{today, &schools, &scope};
  Result<Student> next = ValidateStudent(internal::InputOf(texts), ctx);
  if (!schools.status().ok()) return schools.status().error();
  if (!next.ok()) return next;
  std::vector<FieldError> unchanged;
  for (const auto& [field, value] : r.values)
    if (CorrectableValue(*next, field) == CorrectableValue(current, field))
      unchanged.push_back({std::string(FieldName(field)), "unchanged",
                           std::string(FieldLabel(field)) + "与现有记录相同，无需更正"});
  if (!unchanged.empty()) return Error::Invalid(std::move(unchanged), "更正内容与现有记录相同");
  Student out = current;
  ApplyCorrected(out, DiffCorrectable(current, *next));
  return out;
}

Json ValuesJson(const CorrectedValues& masked) {
  Json items = Json::array();
  for (const CorrectedValue& v : masked)
    items.push_back({{"field", FieldName(v.field)},
                     {"label", FieldLabel(v.field)},
                     {"from", v.before ? Json(*v.before) : Json()},
                     {"to", v.after ? Json(*v.after) : Json()}});
  return items;
}

std::string DetailsJson(const Student& s, const org::Institution& school,
                        const CorrectedValues& values, const ParsedRequest& r) {
  return Json{{"student",
               {{"number", MaskStudentNumberForRecords(s.student_number)},
                {"name", MaskName(s.name)},
                {"gender", s.gender}}},
              {"school", {{"code", school.code}, {"name", school.name}}},
              {"corrections", ValuesJson(MaskCorrected(values))},
              {"reason", r.reason},
              {"document", r.document},
              {"date", r.date ? Json(r.date->ToIso()) : Json()}}
      .dump();
}

Error Stale() {
  return Error::Conflict("correction_stale",
                         "该生的学籍信息已在本案之外发生变化，请退回或撤销后重新申请更正");
}

}  // namespace

bool IsCorrectionCase(std::string_view type) { return type == kCorrectionCaseType; }

Result<ApprovalCase> StudentCorrections::Open(const workflow::Actor& actor, const org::Scope& scope,
                                              std::string_view student_number,
                                              const CorrectionRequest& request) {
  NEMIS_ASSIGN_OR_RETURN(ParsedRequest r, Parse(request));
  const std::string subject = StudentSubject(cipher_, student_number);
  const workflow::WorkflowDefinition* definition =
      workflow::DefinitionCatalog::Builtin().Find(kCorrectionCaseType);
  if (definition == nullptr) return Error::Internal("no workflow student.correction");
  const Date today = clock_.TodayInChina();
  return db_.Write<ApprovalCase>([&](db::Connection& c) -> Result<ApprovalCase> {
    NEMIS_ASSIGN_OR_RETURN(auto student, LoadSubjectForUpdate(c, cipher_, subject));
    if (!student) return Error::NotFound("学籍号对应的学生不存在");
    NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, student->enrolment.school_code));
    if (!school || !scope.Contains(*school)) return Error::NotFound("学籍号对应的学生不存在");
    // Before anything about the student: who may not ask at this school learns nothing more.
    if (!actor.may || !actor.may(definition->opener.permission, *school))
      return Error::Forbidden("没有为该校学生申请更正学籍信息的权限");
    NEMIS_ASSIGN_OR_RETURN(bool pending, workflow::CaseStore::HasOpen(c, subject, ""));
    if (pending) return Error::Conflict("case_pending", "该生有在办的审批案件，须先办结");
    if (student->number_kind == 'G' && ChangesDocument(r)) return GNumberIdChange();
    NEMIS_ASSIGN_OR_RETURN(Student next, Corrected(c, scope, today, *student, r));
    NEMIS_TRY(CheckDocumentFree(c, cipher_, scope, next.id_type, next.id_number, student->id));
    const CorrectedValues values = DiffCorrectable(*student, next);
    NEMIS_ASSIGN_OR_RETURN(
        ApprovalCase kase,
        cases_.OpenIn(c, actor, *definition, subject,
                      {{"school", school->code}, {"county", org::CountyAuthorityOf(*school)}},
                      DetailsJson(*student, *school, values, r)));
    NEMIS_TRY(c.Query(kInsertCorrection,
                      {kase.id, student->id, student->version, kPending, CorrectedFieldList(values),
                       SealCorrected(cipher_, values), r.reason, r.document,
                       r.date ? db::Param(r.date->ToIso()) : db::Param(), kase.opened_at}));
    return kase;
  });
}

Status StudentCorrections::OnEnd(db::Connection& c, const ApprovalCase& kase) {
  if (kase.status != workflow::CaseStatus::kApproved) {
    NEMIS_TRY(c.Query(kDropPending, {kase.id}));
    return {};
  }
  NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectPending, {kase.id}));
  if (rs.empty())
    return Error::Internal("correction case " + std::to_string(kase.id) + " has no values");
  const int64_t student_id = rs.rows[0].Int(0), version = rs.rows[0].Int(1);
  NEMIS_ASSIGN_OR_RETURN(CorrectedValues values, OpenCorrected(cipher_, rs.rows[0].Text(2)));
  NEMIS_ASSIGN_OR_RETURN(auto student, LoadSubjectForUpdate(c, cipher_, kase.subject));
  if (!student || student->id != student_id || student->version != version) return Stale();
  Student next = *student;
  ApplyCorrected(next, values);
  // Another student may have registered with the ID meanwhile. The approver is told only
  // that the ID is registered elsewhere, never where.
  NEMIS_TRY(CheckDocumentFree(c, cipher_, org::Scope(), next.id_type, next.id_number, next.id));
  SealPersonal(cipher_, next);
  const std::string now = FormatUtc(clock_.Now());
  NEMIS_ASSIGN_OR_RETURN(
      auto updated, c.Query(kApplyToStudent, {next.name, next.gender, next.birth_date, next.id_type,
                                              next.sealed.id_index, next.sealed.record,
                                              next.sealed.id_check, now, next.id, version}));
  if (updated.affected != 1) return Stale();
  NEMIS_TRY(c.Query(kMarkApplied, {kApplied, clock_.TodayInChina().ToIso(), now, kase.id}));
  const int64_t ids[] = {next.id};
  return db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now);
}

Result<std::vector<Correction>> StudentCorrections::History(int64_t student_id, bool whole) {
  return db_.Read<std::vector<Correction>>(
      [&](db::Connection& c) -> Result<std::vector<Correction>> {
        NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(kSelectHistory, {student_id}));
        std::vector<Correction> out;
        for (const db::Row& row : rs.rows) {
          Correction k;
          k.case_id = row.Int(0);
          k.applied = row.Text(1) == kApplied;
          NEMIS_ASSIGN_OR_RETURN(k.values, OpenCorrected(cipher_, row.Text(2)));
          if (!whole) k.values = MaskCorrected(std::move(k.values));
          k.reason = row.Text(3);
          k.document = row.Text(4);
          k.date = row.OptText(5);
          k.opened_at = row.Text(6);
          k.approved_on = row.OptText(7);
          k.applied_at = row.OptText(8);
          out.push_back(std::move(k));
        }
        return out;
      });
}

}  // namespace nemis::registry
