#include "codes/pinyin.hpp"

#include <gtest/gtest.h>

namespace nemis::codes {
namespace {

TEST(PinyinTest, HomophoneNamesReadAlike) {
  EXPECT_EQ(NamePinyin("张小明"), "zhang xiao ming");
  EXPECT_EQ(NamePinyin("张晓明"), "zhang xiao ming");
  EXPECT_NE(NamePinyin("张小亮"), NamePinyin("张小明"));
}

TEST(PinyinTest, UmlautIsWrittenV) { EXPECT_EQ(PinyinOf(U'吕'), "lv"); }

TEST(PinyinTest, CharactersWithoutSyllableStandForThemselves) {
  EXPECT_EQ(NamePinyin("阿卜杜拉·买买提"), "a bu du la · mai mai ti");
  EXPECT_EQ(NamePinyin("Anna"), "A n n a");
  EXPECT_EQ(PinyinOf(U'A'), "");
}

TEST(PinyinTest, DecodesFourByteCharactersAndMarksMalformedBytes) {
  EXPECT_EQ(DecodeUtf8("𠮷a"), (std::vector<char32_t>{0x20BB7, U'a'}));
  EXPECT_EQ(DecodeUtf8("\xE5\xBC"), (std::vector<char32_t>{0xFFFD, 0xFFFD}));
}

TEST(PinyinTest, TableCoversCommonNameCharacters) {
  for (char32_t cp : DecodeUtf8("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"))
    EXPECT_FALSE(PinyinOf(cp).empty()) << static_cast<uint32_t>(cp);
}

}  // namespace
}  // namespace nemis::codes
