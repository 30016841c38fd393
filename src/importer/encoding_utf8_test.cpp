#include "importer/encoding_utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace nemis::importer {
namespace {

// Feeds `text` cut into pieces of `piece` bytes; returns the bad offset or -1 when valid
// (and closed at the end).
int64_t Check(const std::string& text, size_t piece) {
  Utf8Validator v;
  for (size_t i = 0; i < text.size(); i += piece) {
    const size_t n = std::min(piece, text.size() - i);
    if (v.Feed(text.data() + i, n) != n) return static_cast<int64_t>(v.bad_offset());
  }
  return v.AtCharBoundary() ? -1 : static_cast<int64_t>(text.size()) + 1000;
}

TEST(Utf8ValidatorTest, AcceptsEveryLengthInAnyCut) {
  const std::string text =
      "ascii 王小明 阿卜杜拉·买买提 𠮷 é \x7F end, and a longer ASCII run here";
  for (size_t piece = 1; piece <= text.size(); ++piece) {
    EXPECT_EQ(Check(text, piece), -1) << "piece " << piece;
  }
}

TEST(Utf8ValidatorTest, BoundaryCodePoints) {
  EXPECT_EQ(Check("\xC2\x80", 1), -1);          // U+0080
  EXPECT_EQ(Check("\xDF\xBF", 1), -1);          // U+07FF
  EXPECT_EQ(Check("\xE0\xA0\x80", 1), -1);      // U+0800
  EXPECT_EQ(Check("\xED\x9F\xBF", 1), -1);      // U+D7FF
  EXPECT_EQ(Check("\xEE\x80\x80", 1), -1);      // U+E000
  EXPECT_EQ(Check("\xEF\xBF\xBF", 1), -1);      // U+FFFF
  EXPECT_EQ(Check("\xF0\x90\x80\x80", 1), -1);  // U+10000
  EXPECT_EQ(Check("\xF4\x8F\xBF\xBF", 2), -1);  // U+10FFFF
}

TEST(Utf8ValidatorTest, RejectsWithTheOffsetOfTheBadSequence) {
  for (size_t piece : {1, 2, 3, 64}) {
    EXPECT_EQ(Check("ab\xFF", piece), 2) << piece;             // never valid
    EXPECT_EQ(Check("ab\x80", piece), 2) << piece;             // lone continuation
    EXPECT_EQ(Check("abc\xC0\xAF", piece), 3) << piece;        // overlong '/'
    EXPECT_EQ(Check("a\xE0\x80\x80", piece), 1) << piece;      // overlong 3-byte
    EXPECT_EQ(Check("a\xED\xA0\x80", piece), 1) << piece;      // surrogate U+D800
    EXPECT_EQ(Check("a\xF4\x90\x80\x80", piece), 1) << piece;  // above U+10FFFF
    EXPECT_EQ(Check("a\xF5\x80\x80\x80", piece), 1) << piece;
    EXPECT_EQ(Check("王\xE5\xB0\x41", piece), 3) << piece;             // cut by an ASCII byte
    EXPECT_EQ(Check("0123456789abcdefghij\xFF", piece), 20) << piece;  // after the fast path
  }
}

TEST(Utf8ValidatorTest, OpenCharacterAtTheEnd) {
  Utf8Validator v;
  EXPECT_EQ(v.Feed("ab\xE7\x8E", 4), 4u);
  EXPECT_FALSE(v.AtCharBoundary());
  EXPECT_EQ(v.open_offset(), 2u);
  EXPECT_EQ(v.Feed("\x8B", 1), 1u);  // 王 completed
  EXPECT_TRUE(v.AtCharBoundary());
  EXPECT_EQ(v.position(), 5u);
}

TEST(Utf8ValidatorTest, ReturnsTheValidPrefixOfTheFailingBlock) {
  Utf8Validator v;
  EXPECT_EQ(v.Feed("xyz", 3), 3u);
  EXPECT_EQ(v.Feed("ab\xE7\x8E!", 5), 2u);  // 王 broken by '!': "ab" is still good
  EXPECT_EQ(v.bad_offset(), 5u);
}

TEST(Utf8ValidatorTest, ResetStartsAtAGivenOffset) {
  Utf8Validator v;
  v.Reset(100);
  EXPECT_EQ(v.Feed("a\xFF", 2), 1u);
  EXPECT_EQ(v.bad_offset(), 101u);
}

}  // namespace
}  // namespace nemis::importer
