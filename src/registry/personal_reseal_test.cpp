// Re-sealing the students' personal data after a key rotation, on both back ends.
#include "registry/personal_reseal.hpp"

#include <gtest/gtest.h>

#include "codes/id_number.hpp"
#include "org/org_testing.hpp"
#include "registry/student_store.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::registry {
namespace {

class PersonalResealTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(org::testing::SeedGuangdongWithOneSchool(db()).ok());
    StudentStore store(db(), old_keys_);
    for (int seq = 1; seq <= 5; ++seq) {
      std::string first17 = "44010620190315" + std::string(2, '0') + std::to_string(seq);
      std::string id = first17 + codes::IdCheckCharacter(first17);
      std::vector<std::pair<StudentField, std::string>> fields = {
          {StudentField::kName, "王小明"},
          {StudentField::kGender, seq % 2 ? "1" : "2"},
          {StudentField::kBirthDate, "2019-03-15"},
          {StudentField::kEthnicity, "01"},
          {StudentField::kIdNumber, id},
          {StudentField::kSchoolCode, "2144000001"},
          {StudentField::kGrade, "1"},
          {StudentField::kClassNo, "01"},
          {StudentField::kEntryDate, "2025-09"},
          {StudentField::kGuardian1Name, "王大明"},
          {StudentField::kGuardian1Relation, "1"},
          {StudentField::kPhone, "1381234567" + std::to_string(seq)}};
      StudentInput in;
      for (const auto& [field, value] : fields) in.Set(field, value);
      auto registered = store.Register(StudentViewer::Node(), in, {});
      ASSERT_TRUE(registered.ok()) << registered.error().message;
      numbers_.push_back("G" + id);
    }
  }

  crypto::FieldKeys v1_ = crypto::FieldKeys::Generate(1);
  crypto::FieldKeys v2_ = [this] {
    crypto::FieldKeys k = crypto::FieldKeys::Generate(2);
    k.index_key = v1_.index_key;  // as RotateFieldKeys does
    return k;
  }();
  crypto::FieldCipher old_keys_{v1_};
  std::vector<std::string> numbers_;
};

TEST_P(PersonalResealTest, EveryRecordIsSealedAgainWithTheCurrentGeneration) {
  crypto::FieldCipher rotated(v2_, {v1_});
  auto resealed = ResealPersonalData(db(), rotated, 2);  // three batches
  ASSERT_TRUE(resealed.ok()) << resealed.error().message;
  EXPECT_EQ(*resealed, 5);
  // Without the old generation at all, every student still opens: all were re-sealed.
  crypto::FieldCipher only_new(v2_);
  StudentStore store(db(), only_new);
  for (size_t i = 0; i < numbers_.size(); ++i) {
    auto s = store.Get(StudentViewer::Node(), numbers_[i]);
    ASSERT_TRUE(s.ok()) << numbers_[i] << ": " << s.error().message;
    EXPECT_EQ(*s->phone, "1381234567" + std::to_string(i + 1));
  }
  EXPECT_EQ(*ResealPersonalData(db(), rotated), 0) << "nothing left sealed with v1";
  // And the old generation alone no longer opens them.
  EXPECT_FALSE(StudentStore(db(), old_keys_).Get(StudentViewer::Node(), numbers_[0]).ok());
}

}  // namespace
NEMIS_STORE_TEST_SUITE(PersonalResealTest);
}  // namespace nemis::registry
