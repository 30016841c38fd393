#include "registry/next_stage_enrolment.hpp"

#include <set>

#include "base/text.hpp"
#include "codes/stage.hpp"
#include "db/change_log.hpp"
#include "org/org_store.hpp"
#include "registry/status_change.hpp"
#include "registry/student_lock.hpp"
#include "registry/text_fields.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kGraduated = "07", kInSchool = "01", kOtherChange = "99";
constexpr std::string_view kEnrolStudent =
    "UPDATE student SET school_id = $1, school_code = $2, province_code = $3, city_code = $4, "
    "county_code = $5, stage = $6, grade = $7, class_no = $8, status = '01', entry_date = $9, "
    "promoted_year = $10, version = version + 1, updated_at = $11, grade_mark = $13 "
    "WHERE id = $12";
// The school's promotion count and the year of its last promotion.
constexpr std::string_view kSchoolPromotions =
    "SELECT promotions, promoted_year FROM org WHERE id = $1";

// The school, grade and stage the list enrols into.
struct Target {
  org::Institution school;
  int grade = 0;
  codes::Stage stage = codes::Stage::kPrimary;
};

Result<Target> CheckTarget(db::Connection& c, const workflow::Actor& actor,
                           const NextStageRequest& r) {
  const std::string code(TrimSpaces(r.to_school));
  NEMIS_ASSIGN_OR_RETURN(auto school, org::OrgStore::Load(c, code));
  if (!school || school->level != org::OrgLevel::kSchool)
    return Error::Invalid({{"toSchool", code.empty() ? "required" : "unknown_school",
                            "学校标识码 " + code + " 未登记"}},
                          "录取学校不存在");
  // Before anything about the students: who may not enrol here learns nothing.
  if (!actor.may || !actor.may("student.create", *school))
    return Error::Forbidden("没有在该校录取新生的权限");
  if (!school->open)
    return Error::Invalid({{"toSchool", "school_closed", "录取学校已撤销"}}, "录取学校已撤销");
  auto grade = codes::ParseGrade(TrimSpaces(r.grade));
  if (!grade)
    return Error::Invalid({{"grade", "bad_grade", "录取年级“" + r.grade + "”无法识别"}},
                          "录取年级无法识别");
  auto stage = codes::StageForGrade(school->school_type.value_or(""), *grade);
  if (!stage)
    return Error::Invalid({{"grade", "stage_not_offered", "录取学校不设该年级"}},
                          "录取学校不设该年级");
  return Target{std::move(*school), *grade, *stage};
}

// The row's own fields, before the store is asked about it.
bool CheckRowFields(size_t i, const NextStageEntry& e, std::set<std::string>& seen,
                    std::vector<FieldError>& errors) {
  const bool listed = CheckListRow(i, e.student_number, e.class_no, seen, errors);
  if (!TrimSpaces(e.name).empty()) return listed;
  errors.push_back(ListRowError(i, "name", "required", "姓名不能为空"));
  return false;
}

// The graduate a row names, if it may enter the target; a refusal is added to `errors`.
Result<std::optional<Student>> FindGraduate(db::Connection& c, const crypto::FieldCipher& cipher,
                                            size_t i, const NextStageEntry& e, const Target& to,
                                            std::vector<FieldError>& errors) {
  const std::string number(TrimSpaces(e.student_number));
  NEMIS_ASSIGN_OR_RETURN(auto s, LoadSubjectForUpdate(c, cipher, StudentSubject(cipher, number)));
  if (!s || s->name != TrimSpaces(e.name)) {
    errors.push_back(
        ListRowError(i, "studentNumber", "not_found", "学籍号与姓名不匹配，或无此学生"));
    return std::optional<Student>();
  }
  if (s->enrolment.status != kGraduated) {
    errors.push_back(
        ListRowError(i, "studentNumber", "not_graduated",
                     "该生不是已毕业的学生（学籍状态 " + s->enrolment.status + "），不能升学录取"));
    return std::optional<Student>();
  }
  auto from = codes::ParseStage(s->enrolment.stage);
  if (!from || *from == to.stage || s->enrolment.grade + 1 != to.grade) {
    errors.push_back(ListRowError(
        i, "studentNumber", "not_next_stage",
        "该生为" + (from ? codes::GradeLabel(*from, s->enrolment.grade) : s->enrolment.stage) +
            "毕业生，不能录取到" + codes::GradeLabel(to.stage, to.grade)));
    return std::optional<Student>();
  }
  return s;
}

StatusChange EntryChange(const Student& s, const Target& to, const std::string& class_no,
                         const std::string& today, const std::string& now) {
  StatusChange change;
  change.type = kOtherChange;
  change.change_date = today;
  change.reason = "升学：" + std::string(codes::StageName(to.stage)) + "录取";
  change.approved_on = today;
  change.approval_ref = "next-stage:" + to.school.code;
  change.from_school = s.enrolment.school_code;
  change.to_school = to.school.code;
  change.from_grade = s.enrolment.grade;
  change.to_grade = to.grade;
  change.from_class = s.enrolment.class_no;
  change.to_class = class_no;
  change.status_before = s.enrolment.status;
  change.status_after = kInSchool;
  change.recorded_at = now;
  return change;
}

}  // namespace

Result<NextStageOutcome> EnrolNextStage(db::Database& db, const crypto::FieldCipher& cipher,
                                        const Clock& clock, const workflow::Actor& actor,
                                        const NextStageRequest& request) {
  const Date today = clock.TodayInChina();
  const std::string now = FormatUtc(clock.Now()), today_iso = today.ToIso();
  return db.Write<NextStageOutcome>([&](db::Connection& c) -> Result<NextStageOutcome> {
    NEMIS_ASSIGN_OR_RETURN(Target to, CheckTarget(c, actor, request));
    const auto& rows = request.students;
    if (rows.empty() || rows.size() > kMaxNextStageRows)
      return Error::Invalid(
          {{"students", rows.empty() ? "required" : "too_many",
            "录取名单须有 1 至 " + std::to_string(kMaxNextStageRows) + " 名学生"}},
          "录取名单为空或过长");
    std::vector<FieldError> errors;
    std::vector<std::pair<Student, std::string>> graduates;  // with the class each enters
    std::set<std::string> seen;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!CheckRowFields(i, rows[i], seen, errors)) continue;
      NEMIS_ASSIGN_OR_RETURN(auto s, FindGraduate(c, cipher, i, rows[i], to, errors));
      if (s) graduates.emplace_back(std::move(*s), std::string(TrimSpaces(rows[i].class_no)));
    }
    if (!errors.empty()) return Error::Invalid(std::move(errors), "录取名单有误，未录取任何学生");
    std::vector<int64_t> ids;
    const std::string entry_month = today_iso.substr(0, 7);
    const org::Institution& school = to.school;
    NEMIS_ASSIGN_OR_RETURN(auto promoted, c.Query(kSchoolPromotions, {school.id}));
    // Enrolled for the school year that starts this year: a school not promoted into it yet
    // must not move them up when it is (current_grade.hpp).
    const int64_t mark =
        promoted.rows.at(0).Int(0) + (promoted.rows.at(0).Int(1) < today.year ? 1 : 0);
    for (const auto& [s, class_no] : graduates) {
      NEMIS_TRY(
          c.Defer(kEnrolStudent, {school.id, school.code, school.province_code, school.city_code,
                                  school.county_code, std::string(codes::StageId(to.stage)),
                                  to.grade, class_no, entry_month, today.year, now, s.id, mark}));
      NEMIS_TRY(RecordStatusChange(c, s.id, EntryChange(s, to, class_no, today_iso, now)));
      ids.push_back(s.id);
    }
    NEMIS_TRY(db::AppendChanges(c, "student", db::ChangeOp::kUpdate, ids, now));
    return NextStageOutcome{static_cast<int64_t>(ids.size())};
  });
}

}  // namespace nemis::registry
