#include "importer/csv_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "importer/csv_testing.hpp"
#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::importer {
namespace {

using testing::CorpusPath;
using ::testing::ElementsAre;
using testing::ReadAll;
using testing::Row;

using Fields = std::vector<std::string>;

class CsvReaderTest : public ::testing::Test {
 protected:
  testing::ReadOutcome ReadText(std::string_view text, const CsvOptions& options = {}) {
    const std::string path = dir_.File("input.csv");
    testing::WriteFile(path, text);
    return ReadAll(path, options);
  }
  nemis::testing::TempDir dir_;
};

TEST_F(CsvReaderTest, ReadsUtf8CorpusWithLinesAndOffsets) {
  auto out = ReadAll(CorpusPath("utf8.csv"));
  ASSERT_FALSE(out.error) << out.error->message;
  ASSERT_EQ(out.rows.size(), 4u);
  EXPECT_EQ(
      out.rows[0],
      (Row{{"学籍号", "姓名", "性别", "出生日期", "民族", "学校标识码", "年级", "班号", "入学年月"},
           1,
           0,
           ""}));
  EXPECT_EQ(out.rows[1], (Row{{"G110101201501010011", "王小明", "1", "2015-01-01", "01",
                               "1101010001", "3", "2", "2021-09"},
                              2,
                              87,
                              ""}));
  EXPECT_EQ(out.rows[2], (Row{{"", "阿卜杜拉·买买提", "男", "2014-03-05", "维吾尔族", "1101010001",
                               "4", "1", "2020-09"},
                              3,
                              156,
                              ""}));
  EXPECT_EQ(out.rows[3].fields[1], "李𠮷");
  EXPECT_EQ(out.rows[3].line, 4u);
  EXPECT_EQ(out.rows[3].offset, 232u);
  EXPECT_EQ(out.end, (CsvPosition{299, 5}));
}

TEST_F(CsvReaderTest, StripsUtf8Bom) {
  auto out = ReadAll(CorpusPath("utf8_bom.csv"));
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.rows.size(), 4u);
  EXPECT_EQ(out.rows[0].fields[0], "学籍号");  // no U+FEFF glued to the first header
  EXPECT_EQ(out.rows[0].offset, 3u);
  EXPECT_EQ(out.rows[1].offset, 90u);
  EXPECT_EQ(out.rows[3].offset, 235u);
}

TEST_F(CsvReaderTest, CrlfAndMissingFinalNewlineGiveTheSameFields) {
  auto lf = ReadAll(CorpusPath("utf8.csv"));
  auto crlf = ReadAll(CorpusPath("crlf.csv"));
  auto unterminated = ReadAll(CorpusPath("no_trailing_newline.csv"));
  ASSERT_EQ(crlf.rows.size(), 4u);
  ASSERT_EQ(unterminated.rows.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(crlf.rows[i].fields, lf.rows[i].fields);
    EXPECT_EQ(crlf.rows[i].line, i + 1);
    EXPECT_EQ(unterminated.rows[i].fields, lf.rows[i].fields);
  }
  EXPECT_EQ(crlf.rows[1].offset, 88u);
  EXPECT_EQ(crlf.rows[3].offset, 235u);
  EXPECT_EQ(unterminated.rows[3].fields.back(), "2021-09");
  EXPECT_EQ(unterminated.end, (CsvPosition{298, 4}));
}

TEST_F(CsvReaderTest, EmptyFileHasNoRecordsAndNoError) {
  auto out = ReadAll(CorpusPath("empty.csv"));
  EXPECT_FALSE(out.error);
  EXPECT_TRUE(out.rows.empty());
}

TEST_F(CsvReaderTest, HeaderOnly) {
  auto out = ReadAll(CorpusPath("header_only.csv"));
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0].fields.size(), 9u);
}

TEST_F(CsvReaderTest, RaggedRowsAreReturnedAsRead) {
  auto out = ReadAll(CorpusPath("ragged.csv"));
  ASSERT_FALSE(out.error);
  EXPECT_THAT(out.rows, ElementsAre(Row{{"姓名", "性别", "出生日期", "民族"}, 1, 0, ""},
                                    Row{{"王小明", "1", "2015-01-01", "01"}, 2, 34, ""},
                                    Row{{"张三", "1", "2015-02-02"}, 3, 60, ""},
                                    Row{{"李四", "2", "2015-03-03", "01", "多余"}, 4, 80, ""},
                                    Row{{"赵六"}, 5, 110, ""}));
}

TEST_F(CsvReaderTest, QuotedFieldsWithCommasQuotesAndLineBreaks) {
  auto out = ReadAll(CorpusPath("quoted_commas_newlines.csv"));
  ASSERT_FALSE(out.error) << out.error->message;
  EXPECT_THAT(out.rows,
              ElementsAre(Row{{"姓名", "家庭住址", "备注"}, 1, 0, ""},
                          Row{{"王小明", "北京市东城区,景山街道1号", "说\"你好\""}, 2, 28, ""},
                          Row{{"李四", "第一行\r\n第二行\n第三行", ""}, 3, 93, ""},
                          Row{{"赵,六", "", "末尾"}, 6, 137, ""}));
  EXPECT_EQ(out.end, (CsvPosition{158, 7}));
}

TEST_F(CsvReaderTest, TabSeparatedWhenHeaderHasTabsAndNoCommas) {
  auto out = ReadAll(CorpusPath("tab_separated.tsv"));
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.rows.size(), 4u);
  EXPECT_EQ(out.rows[0].fields.size(), 9u);
  EXPECT_EQ(out.rows[1].fields[1], "王小明");
  auto reader = CsvReader::Open(CorpusPath("tab_separated.tsv"));
  ASSERT_OK(reader);
  EXPECT_EQ((*reader)->separator(), '\t');
}

TEST_F(CsvReaderTest, HeaderWithTabsAndCommasStaysCommaSeparated) {
  auto out = ReadText("a\tb,c\n1\t2,3\n");
  ASSERT_EQ(out.rows.size(), 2u);
  EXPECT_EQ(out.rows[1].fields, (Fields{"1\t2", "3"}));
}

TEST_F(CsvReaderTest, ExplicitSeparatorOverridesDetection) {
  CsvOptions options;
  options.separator = ';';
  auto out = ReadText("a;b,c\n1;2\n", options);
  EXPECT_EQ(out.rows[0].fields, (Fields{"a", "b,c"}));
}

TEST_F(CsvReaderTest, LineEndingsCrLfCrAndLfMixed) {
  auto out = ReadText("a,b\r1,2\r\n3,4\n5,6\r");
  EXPECT_THAT(out.rows, ElementsAre(Row{{"a", "b"}, 1, 0, ""}, Row{{"1", "2"}, 2, 4, ""},
                                    Row{{"3", "4"}, 3, 9, ""}, Row{{"5", "6"}, 4, 13, ""}));
  EXPECT_EQ(out.end, (CsvPosition{17, 5}));
}

TEST_F(CsvReaderTest, BlankLinesAreSkippedButCounted) {
  auto out = ReadText("a,b\n\n1,2\r\n\r\n\n3,4\n\n");
  EXPECT_THAT(out.rows, ElementsAre(Row{{"a", "b"}, 1, 0, ""}, Row{{"1", "2"}, 3, 5, ""},
                                    Row{{"3", "4"}, 6, 13, ""}));
}

TEST_F(CsvReaderTest, EmptyFieldsAndTrailingSeparator) {
  auto out = ReadText(",,\n\"\",x,\n,");
  EXPECT_THAT(out.rows, ElementsAre(Row{{"", "", ""}, 1, 0, ""}, Row{{"", "x", ""}, 2, 3, ""},
                                    Row{{"", ""}, 3, 9, ""}));
}

TEST_F(CsvReaderTest, QuoteInsideUnquotedFieldIsLiteral) {
  auto out = ReadText("a,b\n5\"2,x\"y\"\n");
  EXPECT_EQ(out.rows[1].fields, (Fields{"5\"2", "x\"y\""}));
}

TEST_F(CsvReaderTest, QuotedFieldAtEndOfFileWithoutNewline) {
  auto out = ReadText("a,b\n1,\"x\"\"\"");
  ASSERT_FALSE(out.error);
  EXPECT_EQ(out.rows[1].fields, (Fields{"1", "x\""}));
}

TEST_F(CsvReaderTest, TextAfterClosingQuoteIsARecordProblem) {
  auto out = ReadText("姓名,住址\n\"王\"小明,北京\n李四,上海\n");
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.rows.size(), 3u);
  EXPECT_EQ(out.rows[1], (Row{{}, 2, 14, "bad_quote"}));
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].column, 0u);
  EXPECT_THAT(out.problems[0].message,
              ::testing::StartsWith("第 2 行第 1 列（A）：右引号后还有其他字符"));
  EXPECT_EQ(out.rows[2], (Row{{"李四", "上海"}, 3, 33, ""}));
}

TEST_F(CsvReaderTest, UnterminatedQuoteNamesTheLineWhereItStarted) {
  auto out = ReadAll(CorpusPath("unterminated_quote.csv"));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, "unterminated_quote");
  EXPECT_EQ(out.error->kind, ErrorKind::kInvalid);
  EXPECT_THAT(out.error->message, ::testing::StartsWith("第 3 行第 2 列（B）的引号没有闭合"));
  EXPECT_EQ(out.location.line, 3u);
  EXPECT_EQ(out.location.column, 1u);
  EXPECT_EQ(out.location.byte_offset, 40u);  // the record holding the quote
  ASSERT_EQ(out.rows.size(), 2u);            // the records before it were read
  EXPECT_EQ(out.rows[1].fields, (Fields{"王小明", "北京市"}));
}

TEST_F(CsvReaderTest, UnterminatedQuoteAfterQuotedLineBreaks) {
  auto out = ReadText("a,b\n\"x\ny\",\"never\nclosed\n");
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.location.line, 3u);  // the quote opens on the second physical line of the record
  EXPECT_EQ(out.location.column, 1u);
}

TEST_F(CsvReaderTest, MissingFileIsAnOpenError) {
  auto reader = CsvReader::Open(dir_.File("nope.csv"));
  ASSERT_THAT(reader, nemis::testing::IsErrorCode("cannot_open"));
  EXPECT_EQ(reader.error().kind, ErrorKind::kNotFound);
}

TEST_F(CsvReaderTest, XlsxIsRefusedWithAMessageSayingWhatToDo) {
  auto out = ReadText(std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "[Content_Types].xml");
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, "not_csv");
  EXPECT_THAT(out.error->message, ::testing::HasSubstr("CSV UTF-8"));
}

TEST_F(CsvReaderTest, ReadsFromAPipeDescriptor) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string text = "\xEF\xBB\xBF姓名,性别\n王小明,1\n";
  ASSERT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  auto reader = CsvReader::OpenFd(fds[0], true);
  ASSERT_OK(reader);
  EXPECT_EQ((*reader)->total_bytes(), 0u);
  CsvRecord record;
  ASSERT_TRUE((*reader)->Next(record));
  EXPECT_EQ(record.field(0), "姓名");
  EXPECT_EQ(record.byte_offset, 3u);
  ASSERT_TRUE((*reader)->Next(record));
  EXPECT_EQ(record.field(0), "王小明");
  EXPECT_EQ(record.byte_offset, 17u);
  EXPECT_FALSE((*reader)->Next(record));
  EXPECT_EQ((*reader)->error(), nullptr);
}

TEST_F(CsvReaderTest, ProgressCounters) {
  auto reader = CsvReader::Open(CorpusPath("utf8.csv"));
  ASSERT_OK(reader);
  EXPECT_EQ((*reader)->total_bytes(), 299u);
  CsvRecord record;
  while ((*reader)->Next(record)) {
  }
  EXPECT_EQ((*reader)->bytes_read(), 299u);
}

TEST_F(CsvReaderTest, AllFieldsEmptyFlagsExcelBlankRows) {
  const std::string path = dir_.File("blank.csv");
  testing::WriteFile(path, "a,b\n,,\n");
  auto reader = CsvReader::Open(path);
  CsvRecord record;
  ASSERT_TRUE((*reader)->Next(record));
  EXPECT_FALSE(record.AllFieldsEmpty());
  ASSERT_TRUE((*reader)->Next(record));
  EXPECT_TRUE(record.AllFieldsEmpty());
}

}  // namespace
}  // namespace nemis::importer
