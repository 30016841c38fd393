#include "registry/quality/pair_score.hpp"

#include <gtest/gtest.h>

namespace nemis::registry::quality {
namespace {

ScanRow Row(int64_t id, int64_t school, const std::string& name, uint64_t guardian = 0) {
  ScanRow r;
  r.id = id;
  r.school_id = school;
  r.name = name;
  r.birth = 20150315;
  r.gender = 1;
  r.ethnicity = 1;
  r.has_id = true;
  r.g1_key = guardian;
  return r;
}

int Score(const ScanRow& a, const ScanRow& b) {
  return SimilarityScore(a, b, CompareNames(a.name, b.name));
}

TEST(PairScoreTest, HomophoneAloneStaysBelowTheDefaultThreshold) {
  EXPECT_EQ(Score(Row(1, 10, "张小明"), Row(2, 20, "张晓明")), 65);
  EXPECT_LT(65, kDefaultDuplicateThreshold);
}

TEST(PairScoreTest, SharedGuardianAcrossSchoolsLiftsAHomophoneAndATypo) {
  EXPECT_EQ(Score(Row(1, 10, "张小明", 7), Row(2, 20, "张晓明", 7)), 95);
  EXPECT_EQ(Score(Row(1, 10, "张小明", 7), Row(2, 20, "张小朋", 7)), 80);  // ming/peng: 2
  EXPECT_EQ(Score(Row(1, 10, "张小明", 7), Row(2, 20, "张小华", 7)), 75);  // ming/hua: 4
}

TEST(PairScoreTest, GuardianNameCountsLikeItsIdNumber) {
  ScanRow a = Row(1, 10, "李敏"), b = Row(2, 20, "李明");
  a.g2_name = b.g1_name = TextKey("李建国");
  EXPECT_EQ(Score(a, b), 50 + 5 + 30);
}

TEST(PairScoreTest, TwinsInOneSchoolAreNotFlagged) {
  // 张小明/张小亮, same parents, same school, same birth date and gender.
  int twins = Score(Row(1, 10, "张小明", 7), Row(2, 10, "张小亮", 7));
  EXPECT_EQ(twins, 45 + 5 + 30 - 40);
  EXPECT_LT(twins, kDefaultDuplicateThreshold);
}

TEST(PairScoreTest, OtherEthnicGroupCountsAgainst) {
  ScanRow a = Row(1, 10, "张小明", 7), b = Row(2, 20, "张晓明", 7);
  b.ethnicity = 8;
  EXPECT_EQ(Score(a, b), 60 - 20 + 30);
}

TEST(PairScoreTest, TwoCharacterNamesWithAnotherGivenNameAreNotSimilar) {
  EXPECT_EQ(Score(Row(1, 10, "王伟", 7), Row(2, 20, "王芳", 7)), 0);   // wei / fang
  EXPECT_EQ(Score(Row(1, 10, "李敏", 7), Row(2, 20, "李明", 7)), 85);  // min / ming
}

TEST(PairScoreTest, DetailsHoldCodesOnly) {
  ScanRow a = Row(1, 10, "张小明", 7), b = Row(2, 20, "张晓明", 7);
  std::string d = SimilarityDetails(a, b, CompareNames(a.name, b.name));
  EXPECT_EQ(
      d, R"({"name":"same_pinyin","sameEthnicity":true,"sharedGuardian":true,"sameSchool":false})");
  EXPECT_EQ(d.find("张"), std::string::npos);
}

}  // namespace
}  // namespace nemis::registry::quality
