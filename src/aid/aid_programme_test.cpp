// The programmes: found by code or name, for their stages only, with the national ceilings.
#include "aid/aid_programme.hpp"

#include <gtest/gtest.h>

#include <set>

namespace nemis::aid {
namespace {

using codes::Stage;

TEST(AidProgrammeTest, FoundByCodeOrNameAndNothingElse) {
  ASSERT_NE(FindAidProgramme("03"), nullptr);
  EXPECT_EQ(FindAidProgramme("03")->name, "普通高中国家助学金");
  EXPECT_EQ(FindAidProgramme("国家励志奖学金")->code, "06");
  EXPECT_EQ(FindAidProgramme("3"), nullptr);
  EXPECT_EQ(FindAidProgramme("中职免学费"), nullptr);  // paid to schools, not students
  EXPECT_EQ(FindAidProgramme(""), nullptr);
}

TEST(AidProgrammeTest, CodesAndNamesAreUnique) {
  std::set<std::string_view> codes, names;
  for (const AidProgramme& p : AllAidProgrammes()) {
    EXPECT_TRUE(codes.insert(p.code).second) << p.code;
    EXPECT_TRUE(names.insert(p.name).second) << p.name;
    EXPECT_FALSE(p.stages.empty()) << p.code;
  }
  EXPECT_EQ(codes.size(), 7u);
}

TEST(AidProgrammeTest, EachIsForItsStagesWithTheNationalCeiling) {
  const AidProgramme& living = *FindAidProgramme("02");
  EXPECT_EQ(CeilingFen(living, Stage::kPrimary), 100000);
  EXPECT_EQ(CeilingFen(living, Stage::kJunior), 125000);
  EXPECT_EQ(CeilingFen(living, Stage::kSenior), std::nullopt);
  EXPECT_EQ(CeilingFen(*FindAidProgramme("03"), Stage::kSenior), 350000);
  EXPECT_EQ(CeilingFen(*FindAidProgramme("03"), Stage::kVocational), std::nullopt);
  EXPECT_EQ(CeilingFen(*FindAidProgramme("04"), Stage::kVocational), 350000);
  EXPECT_EQ(CeilingFen(*FindAidProgramme("07"), Stage::kHigher), 1000000);
  EXPECT_EQ(CeilingFen(*FindAidProgramme("01"), Stage::kPreschool), 0);  // set by provinces
  EXPECT_EQ(CeilingFen(*FindAidProgramme("01"), Stage::kPrimary), std::nullopt);
}

}  // namespace
}  // namespace nemis::aid
