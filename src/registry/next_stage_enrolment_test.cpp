// 小升初, 初升高 on both stores (next_stage_enrolment.hpp): the school of the next stage
// enrols the graduates of the previous one in bulk, keeping their numbers; a list with any
// bad row enrols nobody and names every bad row; only the school's own registrar, and only
// into a grade the school teaches.
#include "registry/next_stage_enrolment.hpp"

#include <gtest/gtest.h>

#include "registry/year_end_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::registry {
namespace {

using namespace year_end_testing;  // NOLINT(google-build-using-namespace)
using nemis::testing::IsErrorCode;

class NextStageEnrolmentTest : public YearEndTest {};

NextStageRequest IntoJunior(std::vector<NextStageEntry> rows, std::string grade = "初一") {
  NextStageRequest r;
  r.to_school = kJunior;
  r.grade = std::move(grade);
  r.students = std::move(rows);
  return r;
}

TEST_P(NextStageEnrolmentTest, GraduatesOfThePrimaryEnterTheJuniorHighSchoolKeepingTheirNumbers) {
  const Student a = Enrol(1, kPrimary, 6), b = Enrol(2, kPrimary, 6);
  Run(2026);
  auto enrolled = EnrolNextStage(
      db(), cipher_, clock_, JuniorRegistrar(),
      IntoJunior({{a.student_number, a.name, "01"}, {" " + b.student_number + " ", b.name, "02"}}));
  ASSERT_OK(enrolled);
  EXPECT_EQ(enrolled->enrolled, 2);
  const Student now = Reload(a);
  EXPECT_EQ(now.student_number, a.student_number);
  EXPECT_EQ(now.enrolment.school_code, kJunior);
  EXPECT_EQ(now.enrolment.stage, "junior");
  EXPECT_EQ(now.enrolment.grade, 7);
  EXPECT_EQ(now.enrolment.class_no, "01");
  EXPECT_EQ(now.enrolment.status, "01");
  EXPECT_EQ(now.enrolment.entry_date, "2026-08");
  EXPECT_EQ(now.enrolment.county_code, kTianheCounty);
  EXPECT_EQ(Reload(b).enrolment.class_no, "02");
  const std::vector<StatusChange> history = ChangesOf(a);
  ASSERT_EQ(history.size(), 2u);  // 毕业, then 升学
  const StatusChange& entry = history.back();
  EXPECT_EQ(entry.type, "99");
  EXPECT_EQ(entry.reason, "升学：初中录取");
  EXPECT_EQ(entry.from_school, kPrimary);
  EXPECT_EQ(entry.to_school, kJunior);
  EXPECT_EQ(entry.from_grade, 6);
  EXPECT_EQ(entry.to_grade, 7);
  EXPECT_EQ(entry.status_before, "07");
  EXPECT_EQ(entry.status_after, "01");
  EXPECT_EQ(Updates(a), 2);  // graduated, enrolled
  // This year's promotion is behind them; next year's moves them on.
  EXPECT_EQ(TallyOf(Run(2026).total), (Tally{0, 0, 0}));
  clock_.Set(*ParseUtc("2027-08-10T16:00:00.000Z"));
  Run(2027);
  EXPECT_EQ(Reload(a).enrolment.grade, 8);
}

TEST_P(NextStageEnrolmentTest, AListWithAnyBadRowEnrolsNobodyAndNamesEveryBadRow) {
  const Student good = Enrol(1, kPrimary, 6), pupil = Enrol(2, kPrimary, 4),
                kinder = Enrol(3, kKinder, 0), graduate = Enrol(4, kPrimary, 6);
  Run(2026);
  const Snapshot before = Take();
  auto refused = EnrolNextStage(db(), cipher_, clock_, JuniorRegistrar(),
                                IntoJunior({
                                    {good.student_number, good.name, "01"},
                                    {graduate.student_number, "王小九", "01"},   // another name
                                    {pupil.student_number, pupil.name, "01"},    // in grade 5
                                    {kinder.student_number, kinder.name, "01"},  // kindergarten
                                    {good.student_number, good.name, "02"},      // twice
                                    {"", graduate.name, ""},
                                }));
  ASSERT_THAT(refused, IsErrorCode("validation_failed"));
  std::map<std::string, std::string> fields;
  for (const FieldError& f : refused.error().fields) fields[f.field] = f.code;
  EXPECT_EQ(fields, (std::map<std::string, std::string>{
                        {"students[1].studentNumber", "not_found"},
                        {"students[2].studentNumber", "not_graduated"},
                        {"students[3].studentNumber", "not_next_stage"},
                        {"students[4].studentNumber", "duplicate"},
                        {"students[5].studentNumber", "required"},
                        {"students[5].class", "required"},
                    }));
  EXPECT_EQ(refused.error().fields[0].message, "第 2 行：学籍号与姓名不匹配，或无此学生");
  EXPECT_EQ(Take(), before);
  EXPECT_EQ(Reload(good).enrolment.school_code, kPrimary);
}

TEST_P(NextStageEnrolmentTest, OnlyTheSchoolsOwnRegistrarEnrolsAndOnlyIntoAGradeItTeaches) {
  const Student a = Enrol(1, kPrimary, 6);
  Run(2026);
  const Snapshot before = Take();
  const std::vector<NextStageEntry> rows = {{a.student_number, a.name, "01"}};
  EXPECT_THAT(EnrolNextStage(db(), cipher_, clock_, Registrar(), IntoJunior(rows)),
              IsErrorCode("forbidden"));
  NextStageRequest unknown = IntoJunior(rows);
  unknown.to_school = "3144999999";
  EXPECT_THAT(EnrolNextStage(db(), cipher_, clock_, JuniorRegistrar(), unknown),
              IsErrorCode("validation_failed"));
  EXPECT_THAT(EnrolNextStage(db(), cipher_, clock_, JuniorRegistrar(), IntoJunior(rows, "高一")),
              IsErrorCode("validation_failed"));
  EXPECT_THAT(EnrolNextStage(db(), cipher_, clock_, JuniorRegistrar(), IntoJunior(rows, "八年级")),
              IsErrorCode("validation_failed"));  // a graduate of grade 6 enters grade 7 only
  EXPECT_THAT(EnrolNextStage(db(), cipher_, clock_, JuniorRegistrar(), IntoJunior({})),
              IsErrorCode("validation_failed"));
  EXPECT_EQ(Take(), before);
}

}  // namespace

// Enrolled into the school year that starts before the junior high school's own promotion:
// that promotion does not move them on (nor counts them), the next year's does.
TEST_P(NextStageEnrolmentTest, AStudentEnrolledAheadOfTheSchoolsPromotionIsNotMovedByIt) {
  const Student a = Enrol(1, kPrimary, 6), j7 = Enrol(2, kJunior, 7);
  Run(2026, false, org::Scope::Of(Institution(kPrimary)));  // the primary school only
  ASSERT_OK(EnrolNextStage(db(), cipher_, clock_, JuniorRegistrar(),
                           IntoJunior({{a.student_number, a.name, "01"}})));
  EXPECT_EQ(SchoolsOf(Run(2026, true)),
            (std::map<std::string, Tally>{{kJunior, {1, 0, 0}}}));  // j7 alone
  EXPECT_EQ(SchoolsOf(Run(2026)), (std::map<std::string, Tally>{{kJunior, {1, 0, 0}}}));
  EXPECT_EQ(Reload(a).enrolment.grade, 7);
  EXPECT_EQ(Reload(j7).enrolment.grade, 8);
  clock_.Set(*ParseUtc("2027-08-10T16:00:00.000Z"));
  Run(2027);
  EXPECT_EQ(Reload(a).enrolment.grade, 8);
}

NEMIS_STORE_TEST_SUITE(NextStageEnrolmentTest);

}  // namespace nemis::registry
