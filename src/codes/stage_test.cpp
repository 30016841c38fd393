#include "codes/stage.hpp"

#include <gtest/gtest.h>

#include "codes/code_tables.hpp"

namespace nemis::codes {
namespace {

using enum Stage;
constexpr Stage kAllStages[] = {kPreschool, kPrimary, kJunior, kSenior, kVocational, kHigher};

TEST(StageTest, IdsAndNamesRoundTrip) {
  EXPECT_EQ(StageId(kJunior), "junior");
  EXPECT_EQ(StageName(kVocational), "中职");
  for (Stage s : kAllStages) {
    EXPECT_EQ(ParseStage(StageId(s)), s);
    EXPECT_EQ(ParseStage(StageName(s)), s);
  }
  EXPECT_EQ(ParseStage("幼儿园"), kPreschool);
  EXPECT_FALSE(ParseStage("Junior"));
  EXPECT_FALSE(ParseStage(""));
}

TEST(StageTest, GradeRanges) {
  EXPECT_TRUE(GradeInStage(kPreschool, -2));
  EXPECT_FALSE(GradeInStage(kPreschool, -3));
  EXPECT_FALSE(GradeInStage(kPreschool, 1));
  EXPECT_TRUE(GradeInStage(kPrimary, 6));
  EXPECT_FALSE(GradeInStage(kPrimary, 7));
  EXPECT_TRUE(GradeInStage(kJunior, 6));  // 五四制
  EXPECT_FALSE(GradeInStage(kJunior, 5));
  EXPECT_TRUE(GradeInStage(kSenior, 12));
  EXPECT_TRUE(GradeInStage(kVocational, 10));
  EXPECT_FALSE(GradeInStage(kVocational, 13));
  EXPECT_TRUE(GradeInStage(kHigher, 17));
  EXPECT_FALSE(GradeInStage(kHigher, 18));
}

TEST(StageTest, LabelsAndParsingAgree) {
  EXPECT_EQ(GradeLabel(kPreschool, -2), "小班");
  EXPECT_EQ(GradeLabel(kPreschool, 0), "大班");
  EXPECT_EQ(GradeLabel(kPrimary, 1), "一年级");
  EXPECT_EQ(GradeLabel(kJunior, 7), "七年级");
  EXPECT_EQ(GradeLabel(kJunior, 6), "六年级");
  EXPECT_EQ(GradeLabel(kSenior, 10), "高一");
  EXPECT_EQ(GradeLabel(kVocational, 10), "中职一年级");
  EXPECT_EQ(GradeLabel(kHigher, 13), "大一");
  EXPECT_EQ(GradeLabel(kHigher, 17), "大五");
  EXPECT_EQ(GradeLabel(kPrimary, 7), "");
  for (Stage s : kAllStages)
    for (int g = -2; g <= 17; ++g)
      if (GradeInStage(s, g)) {
        EXPECT_EQ(ParseGrade(GradeLabel(s, g)), g) << GradeLabel(s, g);
      }
  EXPECT_EQ(ParseGrade("1"), 1);
  EXPECT_EQ(ParseGrade("-2"), -2);
  EXPECT_EQ(ParseGrade("17"), 17);
  EXPECT_EQ(ParseGrade("初一"), 7);
  EXPECT_FALSE(ParseGrade("18"));
  EXPECT_FALSE(ParseGrade("-3"));
  EXPECT_FALSE(ParseGrade("-"));
  EXPECT_FALSE(ParseGrade(""));
  EXPECT_FALSE(ParseGrade("1a"));
  EXPECT_FALSE(ParseGrade("十年级"));
}

TEST(StageTest, SchoolTypesHoldStages) {
  EXPECT_EQ(StagesOfSchoolType("111"), std::vector<Stage>{kPreschool});
  EXPECT_EQ(StagesOfSchoolType("211"), std::vector<Stage>{kPrimary});
  EXPECT_EQ(StagesOfSchoolType("311"), std::vector<Stage>{kJunior});
  EXPECT_EQ(StagesOfSchoolType("312"), (std::vector<Stage>{kPrimary, kJunior}));
  EXPECT_EQ(StagesOfSchoolType("341"), (std::vector<Stage>{kJunior, kSenior}));
  EXPECT_EQ(StagesOfSchoolType("342"), std::vector<Stage>{kSenior});
  EXPECT_EQ(StagesOfSchoolType("345"), (std::vector<Stage>{kPrimary, kJunior, kSenior}));
  EXPECT_EQ(StagesOfSchoolType("365"), std::vector<Stage>{kVocational});
  EXPECT_EQ(StagesOfSchoolType("415"), std::vector<Stage>{kHigher});
  EXPECT_EQ(StagesOfSchoolType("514"), (std::vector<Stage>{kPrimary, kJunior}));
  EXPECT_TRUE(StagesOfSchoolType("999").empty());
  for (const CodeEntry& e : SchoolTypeCodes().entries())
    EXPECT_FALSE(StagesOfSchoolType(e.code).empty()) << e.code;
}

TEST(StageTest, SchoolTypesBelongToCategories) {
  EXPECT_TRUE(SchoolTypeMatchesCategory("311", "31"));
  EXPECT_TRUE(SchoolTypeMatchesCategory("312", "31"));
  EXPECT_TRUE(SchoolTypeMatchesCategory("345", "34"));
  EXPECT_TRUE(SchoolTypeMatchesCategory("218", "21"));
  EXPECT_TRUE(SchoolTypeMatchesCategory("365", "36"));
  EXPECT_FALSE(SchoolTypeMatchesCategory("312", "21"));
  EXPECT_FALSE(SchoolTypeMatchesCategory("341", "31"));
  EXPECT_FALSE(SchoolTypeMatchesCategory("999", "99"));
  for (const CodeEntry& e : SchoolTypeCodes().entries())
    EXPECT_TRUE(SchoolTypeMatchesCategory(e.code, e.code.substr(0, 2))) << e.code;
}

TEST(StageTest, StageForGradeWhenTheColumnIsBlank) {
  EXPECT_EQ(StageForGrade("312", 3), kPrimary);
  EXPECT_EQ(StageForGrade("312", 6), kPrimary);
  EXPECT_EQ(StageForGrade("312", 8), kJunior);
  EXPECT_FALSE(StageForGrade("312", 10));
  EXPECT_EQ(StageForGrade("341", 6), kJunior);  // a 五四制 完全中学
  EXPECT_EQ(StageForGrade("341", 11), kSenior);
  EXPECT_EQ(StageForGrade("364", 10), kVocational);
  EXPECT_EQ(StageForGrade("111", -1), kPreschool);
  EXPECT_FALSE(StageForGrade("111", 1));
  EXPECT_EQ(StageForGrade("411", 16), kHigher);
  EXPECT_FALSE(StageForGrade("999", 1));
}

}  // namespace
}  // namespace nemis::codes
