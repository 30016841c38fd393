// Fields and records over the size limits: one precise problem for the record, then the
// reader goes on. The 10 MB field is made here, not committed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "importer/csv_reader.hpp"
#include "importer/csv_testing.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::importer {
namespace {

using ::testing::ElementsAre;
using testing::ReadAll;
using testing::Row;

constexpr size_t kTenMegabytes = 10 * 1024 * 1024;

class CsvLimitsTest : public ::testing::Test {
 protected:
  std::string Write(std::string_view text) {
    const std::string path = dir_.File("input.csv");
    testing::WriteFile(path, text);
    return path;
  }
  nemis::testing::TempDir dir_;
};

TEST_F(CsvLimitsTest, TenMegabyteFieldIsOneProblemAndReadingGoesOn) {
  const std::string head = "姓名,备注\n王小明,";
  const std::string text = head + std::string(kTenMegabytes, 'x') + "\n李四,好\n";
  auto out = ReadAll(Write(text));
  ASSERT_FALSE(out.error) << out.error->message;
  const uint64_t next = head.size() + kTenMegabytes + 1;
  EXPECT_THAT(out.rows,
              ElementsAre(Row{{"姓名", "备注"}, 1, 0, ""}, Row{{}, 2, 14, "field_too_long"},
                          Row{{"李四", "好"}, 3, next, ""}));
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].column, 1u);
  EXPECT_EQ(out.problems[0].message, "第 2 行第 2 列（B）：字段超过 65536 字节，该行未导入");
  EXPECT_EQ(out.end, (CsvPosition{text.size(), 4}));
}

TEST_F(CsvLimitsTest, TenMegabyteQuotedFieldWithLineBreaksAndQuotesInGb18030) {
  std::string big = "\"";
  for (size_t i = 0; big.size() < kTenMegabytes; ++i) big += i % 100 == 0 ? "\r\n\"\"," : "王";
  big += "\"";  // 10 MB, 1 in 100 pieces a CR LF, an escaped quote and a comma
  size_t breaks = 0;
  for (char c : big) breaks += c == '\n';
  const std::string utf8 = "姓名,备注\n王小明," + big + ",尾\r\n李四,好\n";
  const std::string gb = testing::Convert(utf8, "UTF-8", "GB18030");
  CsvOptions options;
  options.encoding = TextEncoding::kGb18030;
  auto out = ReadAll(Write(gb), options);
  ASSERT_FALSE(out.error) << out.error->message;
  ASSERT_EQ(out.rows.size(), 3u);
  EXPECT_EQ(out.rows[1], (Row{{}, 2, 10, "field_too_long"}));
  const uint64_t li_si = gb.size() - std::string("\xC0\xEE\xCB\xC4,\xBA\xC3\n").size();
  EXPECT_EQ(out.rows[2], (Row{{"李四", "好"}, 3 + breaks, li_si, ""}));
}

TEST_F(CsvLimitsTest, FieldAtTheLimitIsFineOneMoreByteIsNot) {
  CsvOptions options;
  options.max_field_bytes = 8;
  auto out = ReadAll(Write("12345678,\"1234\"\"678\"\n123456789,x\n\"12345678\"\"\",y\n"), options);
  ASSERT_FALSE(out.error);
  EXPECT_THAT(out.rows,
              ElementsAre(Row{{"12345678", "1234\"678"}, 1, 0, ""},
                          Row{{}, 2, 21, "field_too_long"}, Row{{}, 3, 33, "field_too_long"}));
}

TEST_F(CsvLimitsTest, EscapedQuotesCountOnceAgainstTheLimit) {
  CsvOptions options;
  options.max_field_bytes = 10;
  options.buffer_bytes = 4;  // the raw field (22 bytes) is cut many times while it is read
  const std::string ten_quotes = "\"" + std::string(20, '"') + "\"";
  auto out = ReadAll(Write(ten_quotes + ",a\n"), options);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0].fields, (std::vector<std::string>{std::string(10, '"'), "a"}));
}

TEST_F(CsvLimitsTest, RecordOverTheRecordLimit) {
  CsvOptions options;
  options.max_record_bytes = 64;
  options.buffer_bytes = 16;
  std::string wide;
  for (int i = 0; i < 20; ++i) wide += "abcdefgh,";
  auto out = ReadAll(Write("a,b\n" + wide + "\nc,d\n"), options);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.rows.size(), 3u);
  EXPECT_EQ(out.rows[1].problem, "record_too_long");
  EXPECT_EQ(out.rows[1].line, 2u);
  EXPECT_THAT(out.problems[0].message, ::testing::StartsWith("第 2 行第"));
  EXPECT_EQ(out.rows[2], (Row{{"c", "d"}, 3, 4 + wide.size() + 1, ""}));
}

TEST_F(CsvLimitsTest, RecordOverTheLimitThatFitsInTheBuffer) {
  CsvOptions options;
  options.max_record_bytes = 20;  // the default 4 MiB buffer holds the whole file
  auto out = ReadAll(Write("a,b\n1234567890,1234567890,x\nc,d\n"), options);
  ASSERT_FALSE(out.error);
  EXPECT_THAT(out.rows, ElementsAre(Row{{"a", "b"}, 1, 0, ""}, Row{{}, 2, 4, "record_too_long"},
                                    Row{{"c", "d"}, 3, 28, ""}));
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].column, 1u);  // the field that crosses byte 20
  EXPECT_EQ(out.problems[0].message, "第 2 行第 2 列（B）：整行超过 20 字节，该行未导入");
}

TEST_F(CsvLimitsTest, UnterminatedQuoteInALongTailIsStillAnUnterminatedQuote) {
  // The open quote swallows more than max_field_bytes: the skip must not hide the real cause.
  const std::string text = "a,b\n1,2\n3,\"" + std::string(200000, 'y') + "\n4,5\n";
  auto out = ReadAll(Write(text));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, "unterminated_quote");
  EXPECT_EQ(out.location.line, 3u);
  EXPECT_EQ(out.location.column, 1u);
  EXPECT_EQ(out.rows.size(), 2u);
}

TEST_F(CsvLimitsTest, LongFieldEndingInACrAtTheBufferEnd) {
  CsvOptions options;
  options.max_field_bytes = 4;
  for (size_t size = 1; size <= 24; ++size) {
    options.buffer_bytes = size;
    auto out = ReadAll(Write("a\r"
                             "xxxxxxxxxx\r"
                             "b\r\n"
                             "c\"d,\"e\"\r\nf"),
                       options);
    ASSERT_FALSE(out.error) << size;
    EXPECT_THAT(out.rows, ElementsAre(Row{{"a"}, 1, 0, ""}, Row{{}, 2, 2, "field_too_long"},
                                      Row{{"b"}, 3, 13, ""}, Row{{"c\"d", "e"}, 4, 16, ""},
                                      Row{{"f"}, 5, 25, ""}))
        << size;
  }
}

// Found by fuzz/csv_reader_fuzz.cpp: where the buffer ends must not change which problem a
// record over a limit gets, nor the column it names.
class CsvLimitsAnyBufferTest : public CsvLimitsTest {
 protected:
  // The second row's problem (code, column), the same for every buffer size (or a failure).
  std::pair<std::string, size_t> ProblemOfRow2(const std::string& text, CsvOptions options) {
    std::pair<std::string, size_t> first;
    const std::string path = Write(text);
    for (size_t size = 1; size <= 40; ++size) {
      options.buffer_bytes = size;
      auto out = ReadAll(path, options);
      EXPECT_FALSE(out.error) << size;
      if (out.rows.size() < 2) return {"missing", 0};
      std::pair<std::string, size_t> got{out.rows[1].problem, 0};
      if (!out.problems.empty()) got.second = out.problems[0].column;
      if (size == 1) first = got;
      EXPECT_EQ(got, first) << "buffer of " << size << " bytes";
    }
    return first;
  }
};

TEST_F(CsvLimitsAnyBufferTest, RecordTooLongNamesTheFieldCrossingTheLimit) {
  CsvOptions options;
  options.max_record_bytes = 20;  // crossed in the second field, not where the buffer ends
  EXPECT_EQ(ProblemOfRow2("a,b\n1234567890,1234567890,x\nc,d\n", options),
            (std::pair<std::string, size_t>{"record_too_long", 1}));
  EXPECT_EQ(ProblemOfRow2("a,b\n1234567890,\"1234567890\",x\r\nc,d\n", options),
            (std::pair<std::string, size_t>{"record_too_long", 1}));
}

TEST_F(CsvLimitsAnyBufferTest, ALineBreakDoesNotCountAgainstTheRecordLimit) {
  CsvOptions options;
  options.max_record_bytes = 5;  // a CR LF cut by the buffer end made this record too long
  EXPECT_EQ(ProblemOfRow2("a,b\r\nabcde\r\nx\r\n", options),
            (std::pair<std::string, size_t>{"", 0}));
}

TEST_F(CsvLimitsAnyBufferTest, OverBothLimitsTheLimitCrossedFirstIsReported) {
  CsvOptions options;
  options.max_field_bytes = 8;
  options.max_record_bytes = 12;  // crossed at byte 13, the field limit at byte 18
  EXPECT_EQ(ProblemOfRow2("a,b\nabcdefgh,abcdefghij\n", options),
            (std::pair<std::string, size_t>{"record_too_long", 1}));
  options.max_field_bytes = 4;  // the field limit now at byte 8
  EXPECT_EQ(ProblemOfRow2("a,b\nab,abcdefghijklmnop\n", options),
            (std::pair<std::string, size_t>{"field_too_long", 1}));
}

}  // namespace
}  // namespace nemis::importer
