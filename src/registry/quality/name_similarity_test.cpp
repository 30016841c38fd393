#include "registry/quality/name_similarity.hpp"

#include <gtest/gtest.h>

namespace nemis::registry::quality {
namespace {

TEST(NameSimilarityTest, SameNameIsExact) {
  EXPECT_EQ(CompareNames("张小明", "张小明").match, NameMatch::kExact);
}

TEST(NameSimilarityTest, HomophonesArePinyinEqual) {
  auto c = CompareNames("张小明", "张晓明");
  EXPECT_EQ(c.match, NameMatch::kSamePinyin);
  EXPECT_EQ(c.characters, 3);
}

TEST(NameSimilarityTest, OneCharacterApartCarriesItsSyllableDistance) {
  auto near = CompareNames("李敏", "李明");  // min / ming
  EXPECT_EQ(near.match, NameMatch::kOneCharacter);
  EXPECT_EQ(near.syllable_distance, 1);
  auto twin = CompareNames("张小明", "张小亮");  // ming / liang
  EXPECT_EQ(twin.match, NameMatch::kOneCharacter);
  EXPECT_EQ(twin.syllable_distance, 2);
  EXPECT_EQ(CompareNames("张小明", "张小华").syllable_distance, 4);  // ming / hua
}

TEST(NameSimilarityTest, TwoCharactersApartOrOtherLengthsAreNotSimilar) {
  EXPECT_EQ(CompareNames("张小明", "张大亮").match, NameMatch::kNone);
  EXPECT_EQ(CompareNames("张明", "张小明").match, NameMatch::kNone);
}

TEST(NameSimilarityTest, MiddleDotNamesCompareByCharacter) {
  EXPECT_EQ(CompareNames("阿卜杜拉·买买提", "阿卜杜拉·买卖提").match, NameMatch::kSamePinyin);
}

TEST(NameSimilarityTest, EditDistanceOfSyllables) {
  EXPECT_EQ(EditDistance("ming", "min"), 1);
  EXPECT_EQ(EditDistance("zhang", "wang"), 2);
  EXPECT_EQ(EditDistance("", "li"), 2);
  EXPECT_EQ(EditDistance("xiao", "xiao"), 0);
}

}  // namespace
}  // namespace nemis::registry::quality
