#include "registry/student_validation.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "codes/id_number.hpp"

namespace nemis::registry {
namespace {

using F = StudentField;
using Problem = std::pair<std::string, std::string>;

org::Institution School(int64_t id, std::string code, std::string type, std::string county,
                        bool open = true) {
  org::Institution s;
  s.id = id;
  s.code = std::move(code);
  s.level = org::OrgLevel::kSchool;
  s.parent_code = county;
  s.name = "测试学校" + std::to_string(id);
  s.province_code = "440000";
  s.city_code = "440100";
  s.county_code = std::move(county);
  s.school_type = std::move(type);
  s.category = s.code.substr(0, 2);
  s.open = open;
  return s;
}

std::string IdFor(std::string first17) { return first17 + codes::IdCheckCharacter(first17); }

// Starts from a valid grade-1 girl of a primary school in 天河区, born 2019-03-15.
class StudentValidationTest : public ::testing::Test {
 protected:
  StudentValidationTest()
      : schools_({School(7, "2144000001", "211", "440106"),
                  School(8, "3144000002", "312", "440106"),
                  School(9, "2144000003", "211", "440106", false),
                  School(10, "2144000004", "211", "440105")}) {
    Set(F::kName, "李晓雨");
    Set(F::kGender, "2");
    Set(F::kBirthDate, "2019-03-15");
    Set(F::kEthnicity, "01");
    Set(F::kIdNumber, id_);
    Set(F::kSchoolCode, "2144000001");
    Set(F::kGrade, "1");
    Set(F::kClassNo, "03");
    Set(F::kEntryDate, "2025-09");
    Set(F::kGuardian1Name, "李明");
    Set(F::kGuardian1Relation, "1");
  }

  void Set(F f, std::string v) {
    texts_[static_cast<size_t>(f)] = std::move(v);
    input_.Set(f, texts_[static_cast<size_t>(f)]);
  }

  Result<Student> Validate() { return ValidateStudent(input_, {today_, &schools_, &scope_}); }

  std::vector<Problem> Problems() {
    auto r = Validate();
    std::vector<Problem> out;
    if (!r.ok())
      for (const auto& f : r.error().fields) out.emplace_back(f.field, f.code);
    return out;
  }

  bool Has(const std::vector<Problem>& problems, const Problem& p) {
    return std::find(problems.begin(), problems.end(), p) != problems.end();
  }

  std::array<std::string, kStudentFieldCount> texts_;
  StudentInput input_;
  SchoolMap schools_;
  org::Scope scope_ = org::Scope::Everything();
  Date today_{2025, 11, 1};
  std::string id_ = IdFor("44010620190315002");
};

TEST_F(StudentValidationTest, AcceptsAValidRecordAndDerivesItsStage) {
  auto s = Validate();
  ASSERT_TRUE(s.ok()) << s.error().fields.at(0).message;
  EXPECT_EQ(s->name, "李晓雨");
  EXPECT_EQ(s->gender, 2);
  EXPECT_EQ(s->id_type, "1");
  EXPECT_EQ(s->id_number, id_);
  EXPECT_EQ(s->number_kind, 'G');
  EXPECT_EQ(s->birth_date, "2019-03-15");
  EXPECT_EQ(s->enrolment.stage, "primary");
  EXPECT_EQ(s->enrolment.school_id, 7);
  EXPECT_EQ(s->enrolment.county_code, "440106");
  EXPECT_EQ(s->enrolment.entry_date, "2025-09");
  EXPECT_EQ(s->nationality, "156");
}

TEST_F(StudentValidationTest, EveryOneDigitCorruptionOfTheIdIsRefusedOnTheIdField) {
  for (size_t i = 0; i < 18; ++i) {
    std::string bad = id_;
    bad[i] = bad[i] == '9' ? '0' : (bad[i] == 'X' ? '1' : static_cast<char>(bad[i] + 1));
    Set(F::kIdNumber, bad);
    auto problems = Problems();
    ASSERT_FALSE(problems.empty()) << "position " << i;
    EXPECT_TRUE(Has(problems, {"idNumber", "bad_check_digit"}) ||
                Has(problems, {"idNumber", "bad_birth_date"}) ||
                Has(problems, {"idNumber", "unknown_region"}) ||
                Has(problems, {"idNumber", "gender_mismatch"}))
        << "position " << i << ": " << problems[0].first << " " << problems[0].second;
  }
}

TEST_F(StudentValidationTest, ReportsEveryProblemWithItsField) {
  Set(F::kName, "李2雨");
  Set(F::kGender, "3");
  Set(F::kEthnicity, "火星族");
  Set(F::kEntryDate, "2025-13");
  Set(F::kPhone, "12345");
  Set(F::kLeftBehind, "5");
  auto problems = Problems();
  EXPECT_TRUE(Has(problems, {"name", "bad_name"}));
  EXPECT_TRUE(Has(problems, {"gender", "unknown_code"}));
  EXPECT_TRUE(Has(problems, {"ethnicity", "unknown_code"}));
  EXPECT_TRUE(Has(problems, {"entryDate", "bad_date"}));
  EXPECT_TRUE(Has(problems, {"phone", "bad_phone"}));
  EXPECT_TRUE(Has(problems, {"leftBehind", "unknown_code"}));
}

TEST_F(StudentValidationTest, TheIdMustAgreeWithGenderAndBirthDate) {
  Set(F::kGender, "1");
  EXPECT_TRUE(Has(Problems(), {"idNumber", "gender_mismatch"}));
  Set(F::kGender, "女");
  Set(F::kBirthDate, "2019-03-16");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"birthDate", "id_mismatch"}}));
}

TEST_F(StudentValidationTest, DatesMustBeRealAndInOrder) {
  Set(F::kBirthDate, "2019-02-29");
  EXPECT_TRUE(Has(Problems(), {"birthDate", "bad_date"}));
  Set(F::kBirthDate, "20190315");  // the compact form Excel users type is accepted
  Set(F::kEntryDate, "2019-02");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"entryDate", "before_birth"}}));
  Set(F::kEntryDate, "2027-09");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"entryDate", "future_date"}}));
}

TEST_F(StudentValidationTest, TheSchoolMustBeKnownOpenAndInScope) {
  Set(F::kSchoolCode, "2144009999");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"schoolCode", "unknown_school"}}));
  Set(F::kSchoolCode, "2144000003");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"schoolCode", "school_closed"}}));
  Set(F::kSchoolCode, "2144000004");
  scope_ = org::Scope(org::Subtree{org::OrgLevel::kCounty, "440106", 0});
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"schoolCode", "unknown_school"}}));
  Set(F::kSchoolCode, "21440000");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"schoolCode", "bad_length"}}));
}

TEST_F(StudentValidationTest, GradeAndStageMustFitTheSchool) {
  Set(F::kGrade, "10");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"grade", "grade_not_offered"}}));
  Set(F::kGrade, "1");
  Set(F::kStage, "junior");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"stage", "stage_not_offered"}}));
  Set(F::kSchoolCode, "3144000002");  // 九年一贯制: 小学 and 初中
  Set(F::kStage, "");
  Set(F::kGrade, "8");
  Set(F::kBirthDate, "2012-03-15");
  Set(F::kIdNumber, IdFor("44010620120315002"));
  auto s = Validate();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->enrolment.stage, "junior");
  Set(F::kStage, "小学");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"grade", "grade_not_in_stage"}}));
}

TEST_F(StudentValidationTest, AStudentWithoutDocumentGetsAJNumberAndNeedsAGuardianId) {
  Set(F::kIdNumber, "");
  EXPECT_EQ(Problems(),
            (std::vector<Problem>{{"guardian1IdNumber", "required_without_student_id"}}));
  Set(F::kGuardian1IdNumber, IdFor("44010619880101001"));
  auto s = Validate();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->number_kind, 'J');
  EXPECT_FALSE(s->id_type.has_value());
}

TEST_F(StudentValidationTest, NormalisesWhatClerksPasteAndKeepsOtherDocuments) {
  std::string lower = id_;
  if (lower.back() == 'X') lower.back() = 'x';
  Set(F::kIdNumber, " " + lower + " ");
  auto s = Validate();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->id_number, id_);
  Set(F::kIdType, "A");  // 护照
  Set(F::kIdNumber, "e12345678");
  s = Validate();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->id_number, "E12345678");
  EXPECT_EQ(s->number_kind, 'J');
  Set(F::kIdNumber, "E123,456");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"idNumber", "bad_document_number"}}));
}

TEST_F(StudentValidationTest, ASuppliedNumberMustMatchTheDocument) {
  Set(F::kStudentNumber, "G" + id_);
  EXPECT_TRUE(Validate().ok());
  Set(F::kStudentNumber, "G" + IdFor("44010620190315004"));
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"studentNumber", "number_mismatch"}}));
  Set(F::kStudentNumber, "X" + id_);
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"studentNumber", "bad_number"}}));
}

TEST_F(StudentValidationTest, NamesMayUseRareCharactersAndTheMiddleDotButNotDigits) {
  Set(F::kName, "阿卜杜拉·买买提");
  EXPECT_TRUE(Validate().ok());
  Set(F::kName, "𠮷野家");
  EXPECT_TRUE(Validate().ok());
  Set(F::kName, "·买买提");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"name", "bad_name"}}));
  std::string long_name;
  for (int i = 0; i < 37; ++i) long_name += "李";
  Set(F::kName, long_name);
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"name", "too_long"}}));
}

TEST_F(StudentValidationTest, RegularClassPlacementNeedsADisabilityType) {
  Set(F::kInRegularClass, "是");
  EXPECT_EQ(Problems(), (std::vector<Problem>{{"disabilityType", "required"}}));
  Set(F::kDisabilityType, "2");
  auto s = Validate();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->in_regular_class, 1);
  EXPECT_EQ(s->disability_type, "2");
}

TEST_F(StudentValidationTest, TheFirstGuardianIsRequired) {
  Set(F::kGuardian1Name, "");
  Set(F::kGuardian1Relation, "");
  auto problems = Problems();
  EXPECT_TRUE(Has(problems, {"guardian1Name", "required"}));
  EXPECT_TRUE(Has(problems, {"guardian1Relation", "required"}));
}

}  // namespace
}  // namespace nemis::registry
