// A child registered without a document (J number) and registered again with one
// (temporary_record.hpp), on both stores: refused in the caller's scope, naming the J record
// masked, and nothing written; registered when the record is outside the scope, when the
// registrar confirms the two are different children, and when the J record was merged away.
#include "registry/temporary_record.hpp"

#include <gtest/gtest.h>

#include "registry/personal_mask.hpp"
#include "registry/year_end_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::registry {
namespace {

using namespace year_end_testing;  // NOLINT(google-build-using-namespace)
using nemis::testing::IsErrorCode;
using nemis::testing::IsOk;

class TemporaryRecordTest : public YearEndTest {
 protected:
  // 李小明, a boy born 15 March 2017, in grade 3 of `school`; with `id` or without any.
  Result<RegisterOutcome> Register(const std::string& school, bool with_id,
                                   const org::Scope& scope = org::Scope::Everything(),
                                   const RegisterOptions& options = {}) {
    const std::string first17 = "44010620170315101";
    Draft d;
    d.Set(F::kName, "李小明");
    d.Set(F::kGender, "1");
    d.Set(F::kBirthDate, "2017-03-15");
    d.Set(F::kEthnicity, "01");
    if (with_id)
      d.Set(F::kIdNumber, first17 + codes::IdCheckCharacter(first17));
    else
      d.Set(F::kGuardian1IdNumber,
            "44010619800101123" + std::string(1, codes::IdCheckCharacter("44010619800101123")));
    d.Set(F::kSchoolCode, school);
    d.Set(F::kGrade, "3");
    d.Set(F::kClassNo, "01");
    d.Set(F::kEntryDate, "2023-09");
    d.Set(F::kGuardian1Name, "李家长");
    d.Set(F::kGuardian1Relation, "1");
    StudentViewer viewer = StudentViewer::Node();
    viewer.scope = scope;
    return students_->Register(viewer, d.input, options);
  }
  int64_t Students() { return Count("SELECT COUNT(*) FROM student"); }
};

TEST_P(TemporaryRecordTest, TheDocumentGoesOnTheJRecordInsteadOfASecondRegistration) {
  auto j = Register(kPrimary, false);
  ASSERT_OK(j);
  ASSERT_EQ(j->student.number_kind, 'J');
  auto again = Register(kPrimary, true, org::Scope::Of(Institution(kTianheCounty)));
  ASSERT_THAT(again, IsErrorCode("temporary_record_exists"));
  ASSERT_EQ(again.error().fields.size(), 1u);
  EXPECT_EQ(again.error().fields[0].field, "idNumber");
  EXPECT_NE(again.error().message.find(MaskStudentNumberForRecords(j->student.student_number)),
            std::string::npos)
      << again.error().message;
  EXPECT_NE(again.error().message.find(kPrimary), std::string::npos);
  EXPECT_EQ(Students(), 1);

  // The registrar confirms they are two children.
  RegisterOptions confirmed;
  confirmed.not_temporary_record = true;
  auto second = Register(kPrimary, true, org::Scope::Of(Institution(kTianheCounty)), confirmed);
  ASSERT_OK(second);
  EXPECT_EQ(second->student.number_kind, 'G');
  EXPECT_EQ(Students(), 2);
}

TEST_P(TemporaryRecordTest, ARecordOutsideTheScopeOrMergedAwayIsNotMentioned) {
  auto j = Register(kPrimary, false);
  ASSERT_OK(j);
  // 荔湾's school does not learn of 天河's child: the scan and a merge handle the pair.
  auto elsewhere = Register(kLiwan, true, org::Scope::Of(Institution(kLiwan)));
  ASSERT_OK(elsewhere);
  EXPECT_EQ(Students(), 2);
}

TEST_P(TemporaryRecordTest, AMergedOrDeadJRecordIsNoObstacle) {
  auto j = Register(kPrimary, false);
  ASSERT_OK(j);
  SetStatus(j->student, "99");
  EXPECT_THAT(Register(kPrimary, true), IsOk());
}

}  // namespace

NEMIS_STORE_TEST_SUITE(TemporaryRecordTest);

}  // namespace nemis::registry
