#include "importer/encoding.hpp"

#include <gtest/gtest.h>

#include <string>

#include "testing/result_matchers.hpp"

namespace nemis::importer {
namespace {

using enum TextEncoding;

DetectedEncoding Detect(std::string_view sample, TextEncoding requested = kAuto) {
  auto r = DetectEncoding(sample, requested);
  EXPECT_OK(r);
  return r.ok() ? *r : DetectedEncoding{};
}

// "王小明,阿卜杜拉·买买提,𠮷" in GB18030; 𠮷 (U+20BB7) is the 4-byte sequence 95 34 B2 35.
const std::string kGb18030Names =
    "\xCD\xF5\xD0\xA1\xC3\xF7,\xB0\xA2\xB2\xB7\xB6\xC5\xC0\xAD\xA1\xA4\xC2\xF2\xC2\xF2\xCC\xE1,"
    "\x95\x34\xB2\x35\n";

TEST(DetectEncodingTest, ByteOrderMarks) {
  EXPECT_EQ(Detect("\xEF\xBB\xBF"
                   "a,b\n"),
            (DetectedEncoding{kUtf8, 3}));
  EXPECT_EQ(Detect(std::string("\xFF\xFE"
                               "a\0",
                               4)),
            (DetectedEncoding{kUtf16Le, 2}));
  EXPECT_EQ(Detect(std::string("\xFE\xFF\0a", 4)), (DetectedEncoding{kUtf16Be, 2}));
  EXPECT_EQ(Detect("\x84\x31\x95\x33"
                   "a"),
            (DetectedEncoding{kGb18030, 4}));
}

TEST(DetectEncodingTest, ValidUtf8WithoutBom) {
  EXPECT_EQ(Detect("姓名,性别\n王小明,1\n"), (DetectedEncoding{kUtf8, 0}));
  EXPECT_EQ(Detect("plain ascii\n"), (DetectedEncoding{kUtf8, 0}));
  EXPECT_EQ(Detect(""), (DetectedEncoding{kUtf8, 0}));
}

TEST(DetectEncodingTest, CharacterCutAtTheEndOfTheSampleIsStillUtf8) {
  std::string sample(kEncodingSampleBytes - 1, 'a');
  sample += "\xE7";  // the first byte of 王; the rest lies beyond the sample
  EXPECT_EQ(Detect(sample), (DetectedEncoding{kUtf8, 0}));
  sample.back() = '\xF0';
  sample += "\xA0\xAE";  // the first three bytes of 𠮷
  EXPECT_EQ(Detect(sample), (DetectedEncoding{kUtf8, 0}));
}

TEST(DetectEncodingTest, InvalidUtf8MeansGb18030) {
  EXPECT_EQ(Detect(kGb18030Names), (DetectedEncoding{kGb18030, 0}));
}

TEST(DetectEncodingTest, ExplicitEncodingOverridesDetection) {
  EXPECT_EQ(Detect("姓名\n", kGb18030), (DetectedEncoding{kGb18030, 0}));
  EXPECT_EQ(Detect(kGb18030Names, kUtf8), (DetectedEncoding{kUtf8, 0}));
  EXPECT_EQ(Detect("\xEF\xBB\xBF"
                   "a",
                   kUtf8),
            (DetectedEncoding{kUtf8, 3}));
  // Only the requested encoding's own BOM is skipped.
  EXPECT_EQ(Detect("\xEF\xBB\xBF"
                   "a",
                   kGb18030),
            (DetectedEncoding{kGb18030, 0}));
  EXPECT_EQ(Detect("\x84\x31\x95\x33"
                   "a",
                   kGb18030),
            (DetectedEncoding{kGb18030, 4}));
}

TEST(DetectEncodingTest, RefusesFilesThatAreNotText) {
  auto xlsx = DetectEncoding(std::string("PK\x03\x04\x14\x00", 6), kAuto);
  ASSERT_THAT(xlsx, nemis::testing::IsErrorCode("not_csv"));
  EXPECT_NE(xlsx.error().message.find(".xlsx"), std::string::npos);
  auto xls = DetectEncoding("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest", kAuto);
  ASSERT_THAT(xls, nemis::testing::IsErrorCode("not_csv"));
  EXPECT_NE(xls.error().message.find(".xls"), std::string::npos);
  auto utf16_without_bom = DetectEncoding(std::string("a\0,\0b\0", 6), kAuto);
  ASSERT_THAT(utf16_without_bom, nemis::testing::IsErrorCode("not_csv"));
  EXPECT_NE(utf16_without_bom.error().message.find("第 1 字节处有 NUL"), std::string::npos);
}

TEST(ParseTextEncodingTest, NamesAndAliases) {
  EXPECT_EQ(*ParseTextEncoding("auto"), kAuto);
  EXPECT_EQ(*ParseTextEncoding("UTF-8"), kUtf8);
  EXPECT_EQ(*ParseTextEncoding("utf8"), kUtf8);
  EXPECT_EQ(*ParseTextEncoding("GB18030"), kGb18030);
  EXPECT_EQ(*ParseTextEncoding("gbk"), kGb18030);
  EXPECT_EQ(*ParseTextEncoding("utf-16le"), kUtf16Le);
  auto bad = ParseTextEncoding("latin1");
  ASSERT_THAT(bad, nemis::testing::IsErrorCode("unknown_encoding"));
  EXPECT_EQ(TextEncodingName(kGb18030), "gb18030");
}

}  // namespace
}  // namespace nemis::importer
