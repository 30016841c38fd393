// The CSV export: BOM, header, RFC 4180 quoting, formula-safe cells, paging, write errors.
#include "audit/audit_export.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "audit/audit_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::audit {
namespace {

constexpr std::string_view kBomAndHeader =
    "\xEF\xBB\xBF序号,时间（UTC）,账号,角色,范围,来源IP,请求ID,操作,对象,结果,详情,哈希\r\n";

TEST(CsvCellTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvCell("student:1042"), "student:1042");
  EXPECT_EQ(CsvCell(""), "");
  EXPECT_EQ(CsvCell("区县学籍主管,学校管理员"), "\"区县学籍主管,学校管理员\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(CsvCell("a\r\nb"), "\"a\r\nb\"");
}

TEST(CsvCellTest, DefusesFormulas) {
  EXPECT_EQ(CsvCell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvCell("+1"), "'+1");
  EXPECT_EQ(CsvCell("-1"), "'-1");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("\tx"), "'\tx");
  EXPECT_EQ(CsvCell("a=b"), "a=b");
}

class AuditExportTest : public AuditStoreTest {
 protected:
  std::string Export(const AuditFilter& filter) {
    std::ostringstream out;
    Status s = ExportCsv(db(), filter, out);
    EXPECT_OK(s);
    return out.str();
  }
};

TEST_P(AuditExportTest, WritesBomHeaderAndEscapedRows) {
  AuditEntry e = Entry(1);
  e.account = "wang,wu";
  e.roles = "学校管理员 \"主\"";
  e.details = "{\"note\": \"第一行\\n第二行\",\n \"n\": 1}";
  e.target = "=cmd";
  ASSERT_OK(Append(db(), e));
  ASSERT_OK(Append(db(), Entry(2)));
  std::string csv = Export({});
  std::string expected(kBomAndHeader);
  expected += "1," + e.time + ",\"wang,wu\",\"学校管理员 \"\"主\"\"\",440106,10.0.0.1,req-1," +
              e.action + ",'=cmd," + e.outcome +
              ",\"{\"\"note\"\": \"\"第一行\\n第二行\"\",\n \"\"n\"\": 1}\"," + HashOf(1) + "\r\n";
  AuditEntry two = Entry(2);
  expected += "2," + two.time + "," + two.account + "," + two.roles + ",440106,10.0.0.2,req-2," +
              two.action + "," + two.target + "," + two.outcome + ",\"{\"\"n\"\":2}\"," +
              HashOf(2) + "\r\n";
  EXPECT_EQ(csv, expected);
}

TEST_P(AuditExportTest, AnEmptyExportHasTheHeader) { EXPECT_EQ(Export({}), kBomAndHeader); }

TEST_P(AuditExportTest, ExportsEveryMatchingEntryAcrossPages) {
  AppendRange(1, 2100);
  AuditFilter f;
  f.limit = 5;  // ignored by the export
  f.action = "auth.login";
  std::string csv = Export(f);
  size_t rows = 0;
  for (size_t pos = csv.find("\r\n"); pos != std::string::npos; pos = csv.find("\r\n", pos + 2))
    ++rows;
  EXPECT_EQ(rows, 1u + 525u);  // the header, and i % 4 == 0 for i in 1..2100
  EXPECT_NE(csv.find("\r\n2100,"), std::string::npos);
  EXPECT_EQ(csv.find("\r\n2099,"), std::string::npos);
  f.after_seq = 2000;
  csv = Export(f);
  EXPECT_EQ(csv.find("\r\n1996,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n2004,"), std::string::npos);
}

TEST_P(AuditExportTest, ReportsAFailedStream) {
  AppendRange(1, 3);
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  Status s = ExportCsv(db(), {}, out);
  ASSERT_THAT(s, nemis::testing::IsErrorCode("internal"));
  EXPECT_NE(s.error().message.find("导出写出失败"), std::string::npos);
}

TEST_P(AuditExportTest, RefusesABadFilter) {
  AuditFilter f;
  f.outcome = "whatever";
  std::ostringstream out;
  Status s = ExportCsv(db(), f, out);
  ASSERT_THAT(s, nemis::testing::IsErrorCode("validation_failed"));
}

NEMIS_STORE_TEST_SUITE(AuditExportTest);

}  // namespace
}  // namespace nemis::audit
