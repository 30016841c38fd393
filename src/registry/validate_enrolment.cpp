// Validation of the enrolment part of a student record: the school (known, open,
// in the caller's scope), the stage it offers, the grade within the stage, the
// class and the entry month; then the registry flags and the two guardians.
#include "base/text.hpp"
#include "codes/code_tables.hpp"
#include "codes/id_number.hpp"
#include "codes/school_code.hpp"
#include "codes/stage.hpp"
#include "registry/field_parsing.hpp"
#include "registry/student_validation.hpp"

namespace nemis::registry::internal {
namespace {

using F = StudentField;
constexpr size_t kMaxClassChars = 20;
constexpr size_t kMaxGuardianNameChars = 36;

std::string_view Trimmed(const StudentInput& in, F f) { return TrimSpaces(in.Get(f)); }

const org::Institution* CheckSchool(const StudentInput& in, const ValidationContext& ctx,
                                    Student& s, Fields& errors) {
  std::string_view code = Trimmed(in, F::kSchoolCode);
  if (code.empty())
    return AddError(errors, F::kSchoolCode, "required", "学校标识码不能为空"), nullptr;
  auto problem = codes::CheckSchoolCode(code);
  if (problem != codes::SchoolCodeProblem::kNone)
    return AddError(errors, F::kSchoolCode, codes::SchoolCodeProblemCode(problem),
                    std::string(codes::SchoolCodeProblemMessage(problem))),
           nullptr;
  const org::Institution* school = ctx.schools->Find(code);
  if (!school || !ctx.scope->Contains(*school))
    return AddError(errors, F::kSchoolCode, "unknown_school",
                    "学校标识码 " + std::string(code) + " 未登记，或不在您的管辖范围内"),
           nullptr;
  if (!school->open)
    return AddError(errors, F::kSchoolCode, "school_closed", "学校已撤销，不能注册学生"), nullptr;
  Enrolment& e = s.enrolment;
  e.school_id = school->id;
  e.school_code = school->code;
  e.province_code = school->province_code.value_or("");
  e.city_code = school->city_code;
  e.county_code = school->county_code;
  return school;
}

void CheckStageAndGrade(const StudentInput& in, const org::Institution* school, Student& s,
                        Fields& errors) {
  std::string_view grade_text = Trimmed(in, F::kGrade);
  auto grade = codes::ParseGrade(grade_text);
  if (grade_text.empty()) return AddError(errors, F::kGrade, "required", "年级不能为空");
  if (!grade)
    return AddError(errors, F::kGrade, "bad_grade",
                    "年级“" + std::string(grade_text) + "”无法识别");
  s.enrolment.grade = *grade;
  if (!school) return;
  std::string type = school->school_type.value_or("");
  std::string_view stage_text = Trimmed(in, F::kStage);
  std::optional<codes::Stage> stage;
  if (stage_text.empty()) {
    stage = codes::StageForGrade(type, *grade);
    if (!stage)
      return AddError(errors, F::kGrade, "grade_not_offered",
                      "该校（办学类型 " + type + "）不设年级 " + std::to_string(*grade));
  } else {
    stage = codes::ParseStage(stage_text);
    if (!stage)
      return AddError(errors, F::kStage, "unknown_code",
                      "学段“" + std::string(stage_text) + "”无法识别");
    auto offered = codes::StagesOfSchoolType(type);
    if (std::find(offered.begin(), offered.end(), *stage) == offered.end())
      return AddError(errors, F::kStage, "stage_not_offered",
                      "该校不设" + std::string(codes::StageName(*stage)) + "学段");
  }
  if (!codes::GradeInStage(*stage, *grade))
    return AddError(errors, F::kGrade, "grade_not_in_stage",
                    "年级 " + std::to_string(*grade) + " 不属于" +
                        std::string(codes::StageName(*stage)) + "学段");
  s.enrolment.stage = std::string(codes::StageId(*stage));
}

void CheckClassAndEntry(const StudentInput& in, const ValidationContext& ctx, Student& s,
                        Fields& errors) {
  std::string_view class_no = Trimmed(in, F::kClassNo);
  if (class_no.empty())
    AddError(errors, F::kClassNo, "required", "班号不能为空");
  else if (!IsCleanText(class_no) || Utf8Length(class_no) > kMaxClassChars)
    AddError(errors, F::kClassNo, "bad_class", "班号须为不超过 20 个字符的文本");
  else
    s.enrolment.class_no = std::string(class_no);

  std::string_view entry = Trimmed(in, F::kEntryDate);
  if (entry.empty()) return AddError(errors, F::kEntryDate, "required", "入学年月不能为空");
  auto month = ParseYearMonth(entry);
  if (!month)
    return AddError(errors, F::kEntryDate, "bad_date",
                    "入学年月“" + std::string(entry) + "”无效（应为 YYYY-MM）");
  if (!s.birth_date.empty() && *month <= s.birth_date.substr(0, 7))
    return AddError(errors, F::kEntryDate, "before_birth", "入学年月须晚于出生日期");
  Date limit{ctx.today.year + 1, ctx.today.month, 1};
  if (*month > limit.ToIso().substr(0, 7))
    return AddError(errors, F::kEntryDate, "future_date", "入学年月不能晚于一年以后");
  s.enrolment.entry_date = *month;
}

void CheckOptionalCoded(const StudentInput& in, F field, const codes::CodeTable& table,
                        std::optional<std::string>& out, Fields& errors) {
  std::string_view v = Trimmed(in, field);
  if (v.empty()) return;
  if (auto code = ParseCoded(v, table))
    out = std::string(*code);
  else
    AddError(errors, field, "unknown_code",
             "“" + std::string(v) + "”不是" + std::string(table.name()) + "中的代码或名称");
}

void CheckFlag(const StudentInput& in, F field, int& out, Fields& errors) {
  std::string_view v = Trimmed(in, field);
  if (v.empty()) return;
  if (auto flag = ParseFlag(v))
    out = *flag;
  else
    AddError(errors, field, "bad_flag", std::string(FieldLabel(field)) + "须为 1（是）或 0（否）");
}

void CheckFlags(const StudentInput& in, Student& s, Fields& errors) {
  std::optional<std::string> left_behind, boarding;
  CheckOptionalCoded(in, F::kLeftBehind, codes::LeftBehindCodes(), left_behind, errors);
  s.left_behind = left_behind ? (*left_behind)[0] - '0' : 0;
  CheckOptionalCoded(in, F::kBoarding, codes::BoardingCodes(), boarding, errors);
  if (boarding) s.boarding = (*boarding)[0] - '0';
  CheckOptionalCoded(in, F::kCategory, codes::StudentCategoryCodes(), s.category, errors);
  CheckOptionalCoded(in, F::kEntryMethod, codes::EntryMethodCodes(), s.entry_method, errors);
  CheckOptionalCoded(in, F::kDisabilityType, codes::DisabilityTypeCodes(), s.disability_type,
                     errors);
  CheckFlag(in, F::kMigrantChild, s.migrant_child, errors);
  CheckFlag(in, F::kOrphan, s.orphan, errors);
  CheckFlag(in, F::kMartyrChild, s.martyr_child, errors);
  CheckFlag(in, F::kInRegularClass, s.in_regular_class, errors);
  if (s.in_regular_class == 1 && !s.disability_type && Trimmed(in, F::kDisabilityType).empty())
    AddError(errors, F::kDisabilityType, "required", "随班就读的学生须填写残疾类型");
}

struct GuardianFields {
  F name, relation, id_number, phone;
};

void CheckGuardian(const StudentInput& in, const GuardianFields& f, const ValidationContext& ctx,
                   bool required, Guardian& g, Fields& errors) {
  std::string_view name = Trimmed(in, f.name), relation = Trimmed(in, f.relation);
  std::string_view id = Trimmed(in, f.id_number), phone = Trimmed(in, f.phone);
  if (!required && name.empty() && relation.empty() && id.empty() && phone.empty()) return;
  if (name.empty())
    AddError(errors, f.name, "required", std::string(FieldLabel(f.name)) + "不能为空");
  else if (!IsCleanText(name) || Utf8Length(name) > kMaxGuardianNameChars)
    AddError(errors, f.name, "bad_name", "监护人姓名须为不超过 36 个字的文本");
  else
    g.name = std::string(name);
  if (relation.empty())
    AddError(errors, f.relation, "required", std::string(FieldLabel(f.relation)) + "不能为空");
  else
    CheckOptionalCoded(in, f.relation, codes::GuardianRelationCodes(), g.relation, errors);
  if (!id.empty()) {
    std::string normal = codes::NormalizeIdNumber(id);
    auto problem = codes::CheckIdNumber(normal, ctx.today, 0);
    if (problem != codes::IdProblem::kNone)
      AddError(errors, f.id_number, codes::IdProblemCode(problem),
               std::string(codes::IdProblemMessage(problem)));
    else
      g.id_number = std::move(normal);
  }
  if (!phone.empty()) {
    if (IsPhoneNumber(phone))
      g.phone = std::string(phone);
    else
      AddError(errors, f.phone, "bad_phone", "联系电话须为 11 位手机号或带区号的固定电话");
  }
}

void CheckGuardians(const StudentInput& in, const ValidationContext& ctx, Student& s,
                    Fields& errors) {
  static constexpr GuardianFields kFirst{F::kGuardian1Name, F::kGuardian1Relation,
                                         F::kGuardian1IdNumber, F::kGuardian1Phone};
  static constexpr GuardianFields kSecond{F::kGuardian2Name, F::kGuardian2Relation,
                                          F::kGuardian2IdNumber, F::kGuardian2Phone};
  CheckGuardian(in, kFirst, ctx, true, s.guardian1, errors);
  CheckGuardian(in, kSecond, ctx, false, s.guardian2, errors);
  bool any_guardian_id =
      !Trimmed(in, F::kGuardian1IdNumber).empty() || !Trimmed(in, F::kGuardian2IdNumber).empty();
  if (!s.id_type && Trimmed(in, F::kIdType).empty() && !any_guardian_id)
    AddError(errors, F::kGuardian1IdNumber, "required_without_student_id",
             "学生无身份证件时须填写监护人身份证件号");
}

}  // namespace

void ValidateEnrolment(const StudentInput& in, const ValidationContext& ctx, Student& s,
                       Fields& errors) {
  const org::Institution* school = CheckSchool(in, ctx, s, errors);
  CheckStageAndGrade(in, school, s, errors);
  CheckClassAndEntry(in, ctx, s, errors);
}

void ValidateFlagsAndGuardians(const StudentInput& in, const ValidationContext& ctx, Student& s,
                               Fields& errors) {
  CheckFlags(in, s, errors);
  CheckGuardians(in, ctx, s, errors);
}

}  // namespace nemis::registry::internal
