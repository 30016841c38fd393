// The reader over GB18030, UTF-16 and broken UTF-8 input, and with tiny buffers that cut
// characters, quotes and line ends at every possible place.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "importer/csv_reader.hpp"
#include "importer/csv_testing.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::importer {
namespace {

using testing::CorpusPath;
using ::testing::HasSubstr;
using testing::ReadAll;
using ::testing::StartsWith;

std::vector<std::vector<std::string>> FieldsOf(const testing::ReadOutcome& out) {
  std::vector<std::vector<std::string>> fields;
  for (const auto& row : out.rows) fields.push_back(row.fields);
  return fields;
}

TEST(CsvReaderEncodingTest, Gb18030FileReadsAsTheSameUtf8) {
  auto utf8 = ReadAll(CorpusPath("utf8.csv"));
  auto gb = ReadAll(CorpusPath("gb18030.csv"));
  ASSERT_FALSE(gb.error) << gb.error->message;
  EXPECT_EQ(FieldsOf(gb), FieldsOf(utf8));
  ASSERT_EQ(gb.rows.size(), 4u);
  EXPECT_EQ(gb.rows[2].fields[1], "阿卜杜拉·买买提");
  EXPECT_EQ(gb.rows[3].fields[1], "李𠮷");
  // Offsets count the GB18030 bytes of the file, not the UTF-8 ones.
  EXPECT_EQ(gb.rows[1].offset, 61u);
  EXPECT_EQ(gb.rows[2].offset, 127u);
  EXPECT_EQ(gb.rows[3].offset, 191u);
  EXPECT_EQ(gb.end, (CsvPosition{257, 5}));
  auto reader = CsvReader::Open(CorpusPath("gb18030.csv"));
  EXPECT_EQ((*reader)->encoding(), TextEncoding::kGb18030);
}

TEST(CsvReaderEncodingTest, Gb18030RoundTripsFourByteCharactersAndTheMiddleDot) {
  auto gb = ReadAll(CorpusPath("gb18030.csv"));
  ASSERT_EQ(gb.rows.size(), 4u);
  const std::string file = testing::ReadFileBytes(CorpusPath("gb18030.csv"));
  // 𠮷 is U+20BB7: F0 A0 AE B7 in UTF-8, the 4-byte sequence 95 34 B2 35 in GB18030.
  EXPECT_EQ(gb.rows[3].fields[1], "\xE6\x9D\x8E\xF0\xA0\xAE\xB7");
  const std::string back = testing::Convert(gb.rows[3].fields[1], "UTF-8", "GB18030");
  EXPECT_EQ(back, "\xC0\xEE\x95\x34\xB2\x35");
  EXPECT_NE(file.find(back), std::string::npos);
  // U+00B7 MIDDLE DOT is A1 A4 in GB18030.
  const std::string dot_name = testing::Convert(gb.rows[2].fields[1], "UTF-8", "GB18030");
  EXPECT_NE(dot_name.find("\xA1\xA4"), std::string::npos);
  EXPECT_NE(file.find(dot_name), std::string::npos);
}

TEST(CsvReaderEncodingTest, Utf16LeWithBomIsConverted) {
  auto utf8 = ReadAll(CorpusPath("utf8.csv"));
  auto utf16 = ReadAll(CorpusPath("utf16le_bom.csv"));
  ASSERT_FALSE(utf16.error) << utf16.error->message;
  EXPECT_EQ(FieldsOf(utf16), FieldsOf(utf8));
  ASSERT_EQ(utf16.rows.size(), 4u);
  EXPECT_EQ(utf16.rows[0].offset, 2u);
  EXPECT_EQ(utf16.rows[1].offset, 74u);
  EXPECT_EQ(utf16.rows[2].offset, 202u);
  EXPECT_EQ(utf16.rows[3].offset, 306u);
  EXPECT_EQ(utf16.end, (CsvPosition{434, 5}));
}

TEST(CsvReaderEncodingTest, Utf16BeWithBomIsConverted) {
  nemis::testing::TempDir dir;
  const std::string path = dir.File("be.csv");
  testing::WriteFile(
      path, std::string("\xFE\xFF", 2) + testing::Convert("姓名\r\n李𠮷\r\n", "UTF-8", "UTF-16BE"));
  auto out = ReadAll(path);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.rows.size(), 2u);
  EXPECT_EQ(out.rows[1].fields[0], "李𠮷");
  EXPECT_EQ(out.rows[1].offset, 2u + 8u);
}

TEST(CsvReaderEncodingTest, InvalidUtf8AfterTheSampleNamesLineAndOffset) {
  auto out = ReadAll(CorpusPath("invalid_utf8_middle.csv"));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, "invalid_encoding");
  EXPECT_EQ(out.error->kind, ErrorKind::kInvalid);
  EXPECT_THAT(
      out.error->message,
      StartsWith("第 1485 行（字节偏移 102417）不是有效的 UTF-8 编码（0xFF 0x2C 0x31 0x0A）"));
  EXPECT_THAT(out.error->message, HasSubstr("GB18030"));
  EXPECT_EQ(out.location.line, 1485u);
  EXPECT_EQ(out.location.byte_offset, 102417u);
  EXPECT_EQ(out.rows.size(), 1484u);  // everything before the bad line, nothing after
}

TEST(CsvReaderEncodingTest, ExplicitUtf8OnAGb18030FileFailsAtTheFirstBadByte) {
  CsvOptions options;
  options.encoding = TextEncoding::kUtf8;
  auto out = ReadAll(CorpusPath("gb18030.csv"), options);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.location.line, 1u);
  EXPECT_EQ(out.location.byte_offset, 2u);  // D1 A7 happens to be valid UTF-8; BC is not
  EXPECT_TRUE(out.rows.empty());
}

TEST(CsvReaderEncodingTest, InvalidGb18030NamesLineAndOffset) {
  nemis::testing::TempDir dir;
  const std::string path = dir.File("bad.csv");
  testing::WriteFile(path, "\xD0\xD5\xC3\xFB\n\xCD\xF5\n\xCD\xF5\x81\x0A\n");
  auto out = ReadAll(path);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, "invalid_encoding");
  EXPECT_THAT(out.error->message,
              StartsWith("第 3 行（字节偏移 10）不是有效的 GB18030 编码（0x81 0x0A"));
  EXPECT_EQ(out.rows.size(), 2u);
}

TEST(CsvReaderEncodingTest, FileCutInsideACharacter) {
  nemis::testing::TempDir dir;
  const std::string utf8 = dir.File("cut8.csv");
  testing::WriteFile(utf8, "姓名\n王小\xE6\x98");
  auto out8 = ReadAll(utf8);
  ASSERT_TRUE(out8.error);
  EXPECT_EQ(out8.error->code, "truncated_file");
  EXPECT_EQ(out8.location.line, 2u);
  EXPECT_EQ(out8.location.byte_offset, 13u);
  const std::string gb = dir.File("cut.csv");
  testing::WriteFile(gb, "\xD0\xD5\xC3\xFB\n\xCD\xF5\xD0");
  auto out = ReadAll(gb);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, "truncated_file");
  EXPECT_EQ(out.location.line, 2u);
  EXPECT_EQ(out.location.byte_offset, 7u);
}

// A file that has it all: quotes, escapes, line breaks inside quotes, CR LF, 4-byte characters.
constexpr std::string_view kTricky =
    "姓名,家庭住址,备注\r\n"
    "王小明,\"北京市,东城区\",\"说\"\"𠮷\"\"\"\r\n"
    "\"阿卜杜拉·买买提\",\"第一行\r\n第二行\",\r\n"
    "李𠮷,\"\",\"\"\"\"\n"
    "\r\n"
    "赵六,\"a\rb\",末尾";

class BufferSizeTest : public ::testing::TestWithParam<size_t> {
 protected:
  void ExpectSameAsDefault(const std::string& path) {
    auto expected = ReadAll(path);
    ASSERT_FALSE(expected.error) << path << ": " << expected.error->message;
    CsvOptions options;
    options.buffer_bytes = GetParam();
    auto out = ReadAll(path, options);
    ASSERT_FALSE(out.error) << path << ": " << out.error->message;
    EXPECT_EQ(out.rows, expected.rows) << path;
    EXPECT_EQ(out.end, expected.end) << path;
  }
  nemis::testing::TempDir dir_;
};

TEST_P(BufferSizeTest, CorpusFilesReadTheSameWithTinyBuffers) {
  for (const char* name : {"utf8.csv", "utf8_bom.csv", "gb18030.csv", "utf16le_bom.csv", "crlf.csv",
                           "no_trailing_newline.csv", "quoted_commas_newlines.csv",
                           "tab_separated.tsv", "ragged.csv"}) {
    ExpectSameAsDefault(CorpusPath(name));
  }
}

TEST_P(BufferSizeTest, TrickyFileInEveryEncodingReadsTheSame) {
  const std::string utf8 = dir_.File("tricky8.csv");
  testing::WriteFile(utf8, kTricky);
  const std::string gb = dir_.File("tricky_gb.csv");
  testing::WriteFile(gb, testing::Convert(kTricky, "UTF-8", "GB18030"));
  const std::string utf16 = dir_.File("tricky16.csv");
  testing::WriteFile(utf16, "\xFF\xFE" + testing::Convert(kTricky, "UTF-8", "UTF-16LE"));
  ExpectSameAsDefault(utf8);
  ExpectSameAsDefault(gb);
  ExpectSameAsDefault(utf16);
  auto a = ReadAll(utf8);
  auto b = ReadAll(gb);
  auto c = ReadAll(utf16);
  EXPECT_EQ(FieldsOf(a), FieldsOf(b));
  EXPECT_EQ(FieldsOf(a), FieldsOf(c));
}

TEST_P(BufferSizeTest, ErrorsAreTheSameWithTinyBuffers) {
  CsvOptions options;
  options.buffer_bytes = GetParam();
  auto out = ReadAll(CorpusPath("unterminated_quote.csv"), options);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.location.line, 3u);
  const std::string bad = dir_.File("bad.csv");
  testing::WriteFile(bad, "a,b\n\"x\ny\",王\xE7\x8E\xFF\n");
  options.encoding = TextEncoding::kUtf8;  // auto would call this small file GB18030
  auto invalid = ReadAll(bad, options);
  ASSERT_TRUE(invalid.error);
  EXPECT_EQ(invalid.location.line, 3u);
  EXPECT_EQ(invalid.location.byte_offset, 13u);  // E7 8E opens a character that FF breaks
}

INSTANTIATE_TEST_SUITE_P(Sizes, BufferSizeTest,
                         ::testing::Values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 16, 17, 31, 64,
                                           100, 4096));

TEST(CsvReaderEncodingTest, Gb18030ExpectedValuesOfTheTrickyFile) {
  nemis::testing::TempDir dir;
  const std::string gb = dir.File("tricky_gb.csv");
  const std::string bytes = testing::Convert(kTricky, "UTF-8", "GB18030");
  testing::WriteFile(gb, bytes);
  auto out = ReadAll(gb);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.rows.size(), 5u);
  EXPECT_EQ(out.rows[1].fields, (std::vector<std::string>{"王小明", "北京市,东城区", "说\"𠮷\""}));
  EXPECT_EQ(out.rows[2].fields,
            (std::vector<std::string>{"阿卜杜拉·买买提", "第一行\r\n第二行", ""}));
  EXPECT_EQ(out.rows[3].fields, (std::vector<std::string>{"李𠮷", "", "\""}));
  EXPECT_EQ(out.rows[4].fields, (std::vector<std::string>{"赵六", "a\rb", "末尾"}));
  EXPECT_EQ(out.rows[2].line, 3u);
  EXPECT_EQ(out.rows[3].line, 5u);
  EXPECT_EQ(out.rows[4].line, 7u);
  // Each record's offset is where its first byte sits in the GB18030 file.
  for (size_t i = 1; i < out.rows.size(); ++i) {
    const std::string first = testing::Convert(out.rows[i].fields[0], "UTF-8", "GB18030");
    EXPECT_EQ(bytes.compare(out.rows[i].offset + (i == 2 ? 1 : 0), first.size(), first), 0) << i;
    EXPECT_TRUE(bytes[out.rows[i].offset - 1] == '\n' || bytes[out.rows[i].offset - 1] == '\r');
  }
}

}  // namespace
}  // namespace nemis::importer
