// The rules of each status change (学籍异动), without a store: which current statuses
// allow it and what it leaves the student as; where it is refused (开除学籍 in compulsory
// education, 结业/肄业 outside 高中, 留级/降级/跳级 in compulsory education unless the
// province allows it); what a grade or class change asks for, and the grade it leads to.
#include "registry/status_change_rules.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "testing/result_matchers.hpp"

namespace nemis::registry {
namespace {

using nemis::testing::IsErrorCode;

// A student of a Guangdong (440000) school, class 02.
Student Pupil(std::string stage, int grade, std::string status = "01",
              std::string province = "440000") {
  Student s;
  s.student_number = "G440106201703150014";
  s.enrolment.school_code = "2144000001";
  s.enrolment.province_code = std::move(province);
  s.enrolment.stage = std::move(stage);
  s.enrolment.grade = grade;
  s.enrolment.class_no = "02";
  s.enrolment.status = std::move(status);
  return s;
}

Result<StatusChangeTarget> Apply(std::string_view type, const Student& s,
                                 std::optional<int> grade = std::nullopt,
                                 const std::string& class_no = "",
                                 const StatusChangeSettings& settings = {}) {
  const StatusChangeRule* rule = FindStatusChangeRule(type);
  EXPECT_NE(rule, nullptr) << type;
  if (rule == nullptr) return Error::Internal("no rule " + std::string(type));
  return ApplyRule(*rule, s, grade, class_no, settings);
}

// The field errors of a validation_failed refusal, field -> code.
std::map<std::string, std::string> FieldsOf(const Result<StatusChangeTarget>& r) {
  std::map<std::string, std::string> fields;
  if (!r.ok())
    for (const FieldError& f : r.error().fields) fields[f.field] = f.code;
  return fields;
}

// --- The catalogue ---------------------------------------------------------------------

TEST(StatusChangeRulesTest, EveryChangeButTheTransfersHasARuleInCodeOrder) {
  std::vector<std::pair<std::string, std::string>> listed;
  for (const StatusChangeRule& r : StatusChangeRules())
    listed.emplace_back(std::string(r.type), std::string(r.name));
  EXPECT_EQ(listed, (std::vector<std::pair<std::string, std::string>>{{"02", "留级"},
                                                                      {"03", "降级"},
                                                                      {"04", "跳级"},
                                                                      {"11", "休学"},
                                                                      {"12", "复学"},
                                                                      {"13", "停学"},
                                                                      {"17", "恢复学籍"},
                                                                      {"18", "取消学籍"},
                                                                      {"19", "保留学籍"},
                                                                      {"29", "转班级"},
                                                                      {"31", "退学"},
                                                                      {"42", "开除学籍"},
                                                                      {"51", "死亡"},
                                                                      {"61", "提前毕业"},
                                                                      {"62", "结业"},
                                                                      {"63", "肄业"}}));
  for (const StatusChangeRule& r : StatusChangeRules()) EXPECT_EQ(FindStatusChangeRule(r.type), &r);
  // Transfers (转出 21, 转入 22) have their own case; unknown codes have none.
  EXPECT_EQ(FindStatusChangeRule("21"), nullptr);
  EXPECT_EQ(FindStatusChangeRule("22"), nullptr);
  EXPECT_EQ(FindStatusChangeRule(""), nullptr);
  EXPECT_EQ(FindStatusChangeRule("1"), nullptr);
  EXPECT_EQ(FindStatusChangeRule("99"), nullptr);
}

// --- Statuses: allowed, and what each change leaves -----------------------------------

TEST(StatusChangeRulesTest, EachChangeMovesAnAllowedStatusToItsOwn) {
  // (type, status before, status after)
  const std::tuple<const char*, const char*, const char*> allowed[] = {
      {"11", "01", "02"},  // 休学
      {"11", "05", "02"},  //   also after 复学 (05)
      {"12", "02", "01"},  // 复学
      {"13", "01", "04"},  // 停学
      {"13", "05", "04"},
      {"17", "03", "01"},  // 恢复学籍: after 退学, 停学, 保留学籍, 其他
      {"17", "04", "01"},
      {"17", "12", "01"},
      {"17", "99", "01"},
      {"18", "01", "99"},  // 取消学籍
      {"18", "02", "99"},
      {"18", "04", "99"},
      {"18", "12", "99"},
      {"19", "01", "12"},  // 保留学籍
      {"19", "05", "12"},
      {"31", "01", "03"},  // 退学, also while suspended
      {"31", "02", "03"},
      {"31", "05", "03"},
      {"51", "01", "11"},  // 死亡, from any status still on
                           // the roll
      {"51", "02", "11"},
      {"51", "03", "11"},
      {"51", "04", "11"},
      {"51", "05", "11"},
      {"51", "12", "11"},
      {"61", "01", "07"},  // 提前毕业
      {"61", "05", "07"},
  };
  for (const auto& [type, before, after] : allowed) {
    auto to = Apply(type, Pupil("primary", 3, before));
    ASSERT_OK(to) << type << " from " << before;
    EXPECT_EQ(to->status, after) << type << " from " << before;
    EXPECT_EQ(to->grade, 3) << type << " keeps the grade";
    EXPECT_EQ(to->class_no, "02") << type << " keeps the class";
  }
}

TEST(StatusChangeRulesTest, AChangeFromAStatusItDoesNotAllowIsRefused) {
  // type -> current statuses it refuses
  const std::map<std::string, std::vector<std::string>> refused = {
      {"11", {"02", "03", "04", "12"}},  // 休学: only from school
      {"12", {"01", "05", "03", "12"}},  // 复学: only after 休学
      {"13", {"02", "04"}},              // 停学
      {"17", {"01", "02", "05", "11"}},  // 恢复学籍: only of one who lost it
      {"18", {"03", "99"}},              // 取消学籍
      {"19", {"02", "12"}},              // 保留学籍
      {"29", {"02", "03"}},              // 转班级
      {"31", {"03", "04", "12"}},        // 退学
      {"51", {"11", "07", "99"}},        // 死亡
      {"61", {"02", "07"}},              // 提前毕业
  };
  for (const auto& [type, statuses] : refused) {
    for (const std::string& before : statuses) {
      auto to = Apply(type, Pupil("primary", 3, before), std::nullopt, "05");
      ASSERT_THAT(to, IsErrorCode("status_not_allowed")) << type << " from " << before;
      EXPECT_EQ(to.error().kind, ErrorKind::kInvalid);
      EXPECT_NE(to.error().message.find(before), std::string::npos) << to.error().message;
    }
  }
}

TEST(StatusChangeRulesTest, NothingChangesAStudentWhoHasLeftTheRollForGood) {
  // 死亡 11, 毕业 07, 结业 08, 肄业 09: no rule starts from them.
  const StatusChangeSettings everywhere = StatusChangeSettings::Parse("44");
  for (const char* status : {"11", "07", "08", "09"})
    for (const StatusChangeRule& rule : StatusChangeRules())
      EXPECT_THAT(ApplyRule(rule, Pupil("senior", 11, status), 10, "05", everywhere),
                  IsErrorCode("status_not_allowed"))
          << rule.type << " from " << status;
}

// --- Where a change is not allowed ---------------------------------------------------

TEST(StatusChangeRulesTest, NoPupilInCompulsoryEducationIsExpelled) {
  for (const auto& [stage, grade] : {std::pair{"primary", 3}, {"junior", 8}}) {
    auto to = Apply("42", Pupil(stage, grade));
    ASSERT_THAT(to, IsErrorCode("not_in_compulsory_education")) << stage;
    EXPECT_EQ(to.error().kind, ErrorKind::kInvalid);
  }
  auto senior = Apply("42", Pupil("senior", 11));
  ASSERT_OK(senior);
  EXPECT_EQ(senior->status, "99");
  EXPECT_EQ(senior->grade, 11);
  EXPECT_OK(Apply("42", Pupil("senior", 11, "05")));
  // The status is checked first: a suspended senior is not expelled either.
  EXPECT_THAT(Apply("42", Pupil("senior", 11, "02")), IsErrorCode("status_not_allowed"));
}

TEST(StatusChangeRulesTest, OnlyASeniorStudentCompletesOrLeavesEarly) {
  for (const char* type : {"62", "63"})
    for (const auto& [stage, grade] :
         {std::pair{"primary", 6}, {"junior", 9}, {"vocational", 12}, {"preschool", 0}})
      EXPECT_THAT(Apply(type, Pupil(stage, grade)), IsErrorCode("senior_only"))
          << type << " " << stage;
  auto completed = Apply("62", Pupil("senior", 12));
  ASSERT_OK(completed);
  EXPECT_EQ(completed->status, "08");
  auto left = Apply("63", Pupil("senior", 11));
  ASSERT_OK(left);
  EXPECT_EQ(left->status, "09");
  EXPECT_EQ(left->grade, 11);
}

TEST(StatusChangeRulesTest, TheProvincesSettingTakesTwoDigitCodesOrWholeOnes) {
  EXPECT_EQ(StatusChangeSettings::Parse("44").grade_change_provinces,
            (std::set<std::string>{"44"}));
  EXPECT_EQ(StatusChangeSettings::Parse("440000").grade_change_provinces,
            (std::set<std::string>{"44"}));
  EXPECT_EQ(StatusChangeSettings::Parse(" 44, 450000 ,,").grade_change_provinces,
            (std::set<std::string>{"44", "45"}));
  EXPECT_TRUE(StatusChangeSettings::Parse("").grade_change_provinces.empty());
  EXPECT_TRUE(StatusChangeSettings::Parse(" , ").grade_change_provinces.empty());
}

TEST(StatusChangeRulesTest, CompulsoryEducationChangesGradesOnlyWhereTheProvinceAllows) {
  // (type, grade given for 降级): each from grade 4 (primary) or 8 (junior).
  const std::pair<const char*, std::optional<int>> changes[] = {
      {"02", std::nullopt}, {"03", 2}, {"04", std::nullopt}};
  for (const auto& [type, grade] : changes) {
    for (const auto& [stage, current] : {std::pair{"primary", 4}, {"junior", 8}}) {
      const Student s = Pupil(stage, current);
      const std::optional<int> asked = grade ? std::optional<int>(current - 1) : std::nullopt;
      auto nowhere = Apply(type, s, asked, "05");
      ASSERT_THAT(nowhere, IsErrorCode("grade_change_not_allowed_here")) << type << " " << stage;
      EXPECT_EQ(nowhere.error().kind, ErrorKind::kInvalid);
      EXPECT_THAT(Apply(type, s, asked, "05", StatusChangeSettings::Parse("45,42")),
                  IsErrorCode("grade_change_not_allowed_here"))
          << type << " " << stage << ": another province's rule";
      EXPECT_OK(Apply(type, s, asked, "05", StatusChangeSettings::Parse("44")))
          << type << " " << stage;
      EXPECT_OK(Apply(type, s, asked, "05", StatusChangeSettings::Parse("440000")))
          << type << " " << stage;
      // The student's province is what counts, not the school's code.
      EXPECT_OK(Apply(type, Pupil(stage, current, "01", "450000"), asked, "05",
                      StatusChangeSettings::Parse("45")))
          << type << " " << stage;
    }
    // 高中 is not compulsory: no provincial rule needed.
    EXPECT_OK(Apply(type, Pupil("senior", 11), grade ? std::optional<int>(10) : std::nullopt, "05"))
        << type;
  }
  // 转班级 is no grade change: allowed everywhere.
  EXPECT_OK(Apply("29", Pupil("primary", 4), std::nullopt, "05"));
}

// --- Grades and classes ------------------------------------------------------------

TEST(StatusChangeRulesTest, RepeatingAGradeGoesDownOneIntoTheNewClass) {
  const StatusChangeSettings allowed = StatusChangeSettings::Parse("44");
  auto to = Apply("02", Pupil("primary", 3), std::nullopt, "05", allowed);
  ASSERT_OK(to);
  EXPECT_EQ(to->grade, 2);
  EXPECT_EQ(to->class_no, "05");
  EXPECT_EQ(to->status, "01");
  auto resumed = Apply("02", Pupil("primary", 3, "05"), std::nullopt, "05", allowed);
  ASSERT_OK(resumed);
  EXPECT_EQ(resumed->status, "05") << "a grade change keeps the status";
  auto senior = Apply("02", Pupil("senior", 12), std::nullopt, "01");
  ASSERT_OK(senior);
  EXPECT_EQ(senior->grade, 11);

  auto no_class = Apply("02", Pupil("primary", 3), std::nullopt, "", allowed);
  ASSERT_THAT(no_class, IsErrorCode("validation_failed"));
  EXPECT_EQ(FieldsOf(no_class), (std::map<std::string, std::string>{{"class", "required"}}));
  // Out of the stage: 一年级 has nothing below; 高一 would fall into 初中.
  EXPECT_THAT(Apply("02", Pupil("primary", 1), std::nullopt, "05", allowed),
              IsErrorCode("grade_out_of_stage"));
  EXPECT_THAT(Apply("02", Pupil("senior", 10), std::nullopt, "05"),
              IsErrorCode("grade_out_of_stage"));
}

TEST(StatusChangeRulesTest, SkippingAGradeGoesUpOneWithinTheStage) {
  const StatusChangeSettings allowed = StatusChangeSettings::Parse("44");
  auto to = Apply("04", Pupil("primary", 3), std::nullopt, "01", allowed);
  ASSERT_OK(to);
  EXPECT_EQ(to->grade, 4);
  EXPECT_EQ(to->class_no, "01");
  EXPECT_EQ(to->status, "01");
  auto senior = Apply("04", Pupil("senior", 10), std::nullopt, "03");
  ASSERT_OK(senior);
  EXPECT_EQ(senior->grade, 11);

  auto no_class = Apply("04", Pupil("primary", 3), std::nullopt, "", allowed);
  EXPECT_EQ(FieldsOf(no_class), (std::map<std::string, std::string>{{"class", "required"}}));
  // 高三 has nothing above in 高中; 六年级 would leave 小学.
  auto from12 = Apply("04", Pupil("senior", 12), std::nullopt, "03");
  ASSERT_THAT(from12, IsErrorCode("grade_out_of_stage"));
  EXPECT_EQ(from12.error().kind, ErrorKind::kInvalid);
  EXPECT_THAT(Apply("04", Pupil("primary", 6), std::nullopt, "03", allowed),
              IsErrorCode("grade_out_of_stage"));
}

TEST(StatusChangeRulesTest, DroppingAGradeNeedsALowerGradeAndAClass) {
  const StatusChangeSettings allowed = StatusChangeSettings::Parse("44");
  auto to = Apply("03", Pupil("primary", 5), 3, "06", allowed);
  ASSERT_OK(to);
  EXPECT_EQ(to->grade, 3);
  EXPECT_EQ(to->class_no, "06");
  EXPECT_EQ(to->status, "01");

  auto nothing = Apply("03", Pupil("primary", 5), std::nullopt, "", allowed);
  ASSERT_THAT(nothing, IsErrorCode("validation_failed"));
  EXPECT_EQ(FieldsOf(nothing),
            (std::map<std::string, std::string>{{"grade", "required"}, {"class", "required"}}));
  for (int grade : {5, 6}) {
    auto not_lower = Apply("03", Pupil("primary", 5), grade, "06", allowed);
    ASSERT_THAT(not_lower, IsErrorCode("validation_failed")) << grade;
    EXPECT_EQ(FieldsOf(not_lower), (std::map<std::string, std::string>{{"grade", "bad_grade"}}))
        << grade;
  }
  // Lower, but out of 小学 (学前 大班 0) or out of 高中 (初三 9).
  EXPECT_THAT(Apply("03", Pupil("primary", 2), 0, "06", allowed),
              IsErrorCode("grade_out_of_stage"));
  EXPECT_THAT(Apply("03", Pupil("senior", 11), 9, "06"), IsErrorCode("grade_out_of_stage"));
  EXPECT_OK(Apply("03", Pupil("senior", 12), 10, "06"));
}

TEST(StatusChangeRulesTest, AClassChangeNeedsTheClassAndKeepsGradeAndStatus) {
  auto to = Apply("29", Pupil("junior", 8), std::nullopt, "07");
  ASSERT_OK(to);
  EXPECT_EQ(to->grade, 8);
  EXPECT_EQ(to->class_no, "07");
  EXPECT_EQ(to->status, "01");
  auto resumed = Apply("29", Pupil("primary", 3, "05"), std::nullopt, "07");
  ASSERT_OK(resumed);
  EXPECT_EQ(resumed->status, "05");

  auto no_class = Apply("29", Pupil("junior", 8));
  ASSERT_THAT(no_class, IsErrorCode("validation_failed"));
  EXPECT_EQ(FieldsOf(no_class), (std::map<std::string, std::string>{{"class", "required"}}));
}

TEST(StatusChangeRulesTest, AStatusChangeIgnoresGradeAndClassGiven) {
  // 休学 asks for neither: what the request carries besides is not applied.
  auto to = Apply("11", Pupil("primary", 3), 1, "09");
  ASSERT_OK(to);
  EXPECT_EQ(to->grade, 3);
  EXPECT_EQ(to->class_no, "02");
  EXPECT_EQ(to->status, "02");
}

}  // namespace
}  // namespace nemis::registry
