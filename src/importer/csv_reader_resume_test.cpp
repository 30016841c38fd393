// Resuming at a saved record offset gives exactly the records a straight read gives from
// there, in every encoding (offsets always count the file's own bytes).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "importer/csv_reader.hpp"
#include "importer/csv_testing.hpp"
#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::importer {
namespace {

using testing::CorpusPath;
using testing::ReadAll;
using testing::Row;

std::vector<Row> ReadFrom(const std::string& path, const Row& start, const CsvOptions& options) {
  auto reader = CsvReader::Open(path, options);
  EXPECT_OK(reader);
  CsvRecord header;
  EXPECT_TRUE((*reader)->Next(header));  // an import reads the header, then jumps
  auto status = (*reader)->SeekToRecord(start.offset, start.line);
  EXPECT_OK(status);
  std::vector<Row> rows;
  CsvRecord record;
  while ((*reader)->Next(record)) rows.push_back(testing::ToRow(record));
  EXPECT_EQ((*reader)->error(), nullptr);
  return rows;
}

void ExpectResumeFromEveryRecord(const std::string& path, size_t buffer_bytes) {
  CsvOptions options;
  options.buffer_bytes = buffer_bytes;
  const auto all = ReadAll(path).rows;
  ASSERT_GE(all.size(), 2u) << path;
  for (size_t k = 0; k < all.size(); ++k) {
    const std::vector<Row> expected(all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
    EXPECT_EQ(ReadFrom(path, all[k], options), expected) << path << " from record " << k;
  }
}

constexpr std::string_view kTricky =
    "姓名,家庭住址\r\n王小明,\"北京,东城\r\n景山\"\r\n\r\n李𠮷,\"说\"\"好\"\"\"\r阿卜杜拉·买买提,"
    "x\n赵六,y";

class CsvResumeTest : public ::testing::TestWithParam<size_t> {
 protected:
  nemis::testing::TempDir dir_;
};

TEST_P(CsvResumeTest, FromEveryRecordOfEveryEncoding) {
  for (const char* name : {"utf8.csv", "utf8_bom.csv", "gb18030.csv", "utf16le_bom.csv", "crlf.csv",
                           "quoted_commas_newlines.csv", "no_trailing_newline.csv"}) {
    ExpectResumeFromEveryRecord(CorpusPath(name), GetParam());
  }
  const std::string utf8 = dir_.File("t8.csv");
  testing::WriteFile(utf8, kTricky);
  const std::string gb = dir_.File("tgb.csv");
  testing::WriteFile(gb, testing::Convert(kTricky, "UTF-8", "GB18030"));
  const std::string utf16 = dir_.File("t16.csv");
  testing::WriteFile(utf16, "\xFF\xFE" + testing::Convert(kTricky, "UTF-8", "UTF-16LE"));
  ExpectResumeFromEveryRecord(utf8, GetParam());
  ExpectResumeFromEveryRecord(gb, GetParam());
  ExpectResumeFromEveryRecord(utf16, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Buffers, CsvResumeTest, ::testing::Values(3, 7, 4 << 20));

TEST(CsvResumeRefusalTest, OffsetsThatDoNotStartARecord) {
  auto reader = CsvReader::Open(CorpusPath("crlf.csv"));
  ASSERT_OK(reader);
  auto mid_line = (*reader)->SeekToRecord(90, 2);
  ASSERT_THAT(mid_line, nemis::testing::IsErrorCode("bad_resume_point"));
  EXPECT_EQ(mid_line.error().message, "续传位置 90 不是记录的开头：前面不是换行符");
  auto inside_crlf = (*reader)->SeekToRecord(87, 2);  // between the CR and the LF
  ASSERT_THAT(inside_crlf, nemis::testing::IsErrorCode("bad_resume_point"));
  EXPECT_EQ(inside_crlf.error().message, "续传位置 87 不是记录的开头：位于 CR 和 LF 之间");
  auto past_end = (*reader)->SeekToRecord(400, 9);
  ASSERT_THAT(past_end, nemis::testing::IsErrorCode("bad_resume_point"));
  EXPECT_EQ(past_end.error().message,
            "续传位置 400 不是记录的开头：超出文件末尾（文件共 303 字节）");
  auto utf16 = CsvReader::Open(CorpusPath("utf16le_bom.csv"));
  auto odd = (*utf16)->SeekToRecord(75, 2);
  ASSERT_THAT(odd, nemis::testing::IsErrorCode("bad_resume_point"));
  auto in_bom = (*utf16)->SeekToRecord(1, 1);
  ASSERT_THAT(in_bom, nemis::testing::IsErrorCode("bad_resume_point"));
  EXPECT_OK((*utf16)->SeekToRecord(74, 2));
  EXPECT_OK((*utf16)->SeekToRecord(2, 1));  // the start, after the BOM
}

TEST(CsvResumeRefusalTest, EndOfFileIsAValidResumePoint) {
  auto reader = CsvReader::Open(CorpusPath("utf8.csv"));
  ASSERT_OK((*reader)->SeekToRecord(299, 5));
  CsvRecord record;
  EXPECT_FALSE((*reader)->Next(record));
  EXPECT_EQ((*reader)->error(), nullptr);
}

TEST(CsvResumeRefusalTest, PipesResumeForwardOnly) {
  const std::string text = testing::ReadFileBytes(CorpusPath("gb18030.csv"));
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  CsvOptions options;
  options.buffer_bytes = 16;  // the header fits; record 3 is still unread in the pipe
  auto reader = CsvReader::OpenFd(fds[0], true, options);
  ASSERT_OK(reader);
  CsvRecord record;
  ASSERT_TRUE((*reader)->Next(record));
  ASSERT_OK((*reader)->SeekToRecord(191, 4));
  ASSERT_TRUE((*reader)->Next(record));
  EXPECT_EQ(record.field(1), "李𠮷");
  EXPECT_EQ(record.line, 4u);
  EXPECT_EQ(record.byte_offset, 191u);
  auto back = (*reader)->SeekToRecord(61, 2);
  ASSERT_THAT(back, nemis::testing::IsErrorCode("cannot_seek"));
}

}  // namespace
}  // namespace nemis::importer
