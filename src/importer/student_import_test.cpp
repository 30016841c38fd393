#include "importer/student_import.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "importer/student_import_testing.hpp"
#include "org/org_store.hpp"

namespace nemis::importer {
namespace {

using testing::IdFor;
using testing::kHeader;
using testing::Row;

class StudentImportTest : public testing::StudentImportFixture {};

TEST_P(StudentImportTest, ImportsAValidFileWithABom) {
  auto report = Import(Write("ok.csv", "\xEF\xBB\xBF" + Rows(0, 3)));
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(report.total_rows, 3u);
  EXPECT_EQ(report.imported_rows, 3u);
  EXPECT_FALSE(report.Failed());
  EXPECT_EQ(Students(), 3);
}

TEST_P(StudentImportTest, StrictModeWritesNothingWhenARowIsInvalid) {
  std::string content =
      std::string(kHeader) + Row(1) + Row(3) +
      "李四,1,2019-03-15,01,440106201903159999,2144000001,1,01,2025-09,李父,父亲\n";
  auto report = Import(Write("bad.csv", content));
  EXPECT_EQ(report.status, ImportStatus::kRejected);
  EXPECT_TRUE(report.Failed());
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].line, 4u);
  EXPECT_EQ(report.errors[0].field, "idNumber");
  EXPECT_EQ(report.errors[0].column, "身份证件号");
  EXPECT_EQ(report.errors[0].code, "bad_check_digit");
  EXPECT_EQ(Students(), 0);
}

TEST_P(StudentImportTest, SkipInvalidImportsTheRestAndReportsTheBadRows) {
  options_.skip_invalid = true;
  std::string content = std::string(kHeader) + Row(1) + "坏行,1,2019-03-15\n" + Row(3) + Row(1);
  auto report = Import(Write("mixed.csv", content));
  EXPECT_EQ(report.status, ImportStatus::kDone);
  EXPECT_EQ(report.imported_rows, 2u);
  EXPECT_EQ(report.rejected_rows, 2u);
  EXPECT_TRUE(report.Failed());
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].line, 3u);
  EXPECT_EQ(report.errors[0].code, "ragged_row");
  EXPECT_EQ(report.errors[1].line, 5u);
  EXPECT_EQ(report.errors[1].code, "duplicate_in_file");
  EXPECT_NE(report.errors[1].message.find("第 2 行"), std::string::npos);
  EXPECT_EQ(Students(), 2);
}

// A dry run validates every row, against the store too, and writes nothing: no student,
// no resume point, so the real import of the same file afterwards is not "already
// imported". Both when the store is empty (where a real import would be a first load) and
// when it is not.
TEST_P(StudentImportTest, ADryRunReportsWhatTheImportWouldDoAndWritesNothing) {
  options_.first_load_min_rows = 1;
  options_.dry_run = true;
  std::string path = Write("dry.csv", Rows(0, 4));
  auto dry = Import(path);
  EXPECT_EQ(dry.status, ImportStatus::kValidated) << dry.message;
  EXPECT_TRUE(dry.dry_run);
  EXPECT_FALSE(dry.Failed());
  EXPECT_EQ(dry.total_rows, 4u);
  EXPECT_EQ(dry.imported_rows, 0u);
  EXPECT_EQ(dry.message, "校验完成（未写入任何数据）：4 行可以导入");
  EXPECT_EQ(Students(), 0);
  options_.dry_run = false;
  ASSERT_EQ(Import(path).status, ImportStatus::kDone);
  EXPECT_EQ(Students(), 4);

  // Against the store: rows of students it holds are refused, as the import would.
  options_.dry_run = true;
  options_.skip_invalid = true;
  auto again = Import(Write("again.csv", Rows(3, 6) + "坏行,1,2019-03-15\n"));
  EXPECT_EQ(again.status, ImportStatus::kValidated);
  EXPECT_TRUE(again.Failed());  // rows would be skipped
  EXPECT_EQ(again.rejected_rows, 2u);
  EXPECT_EQ(again.message, "校验完成（未写入任何数据）：2 行可以导入，2 行有误将被跳过");
  ASSERT_EQ(again.errors.size(), 2u);
  EXPECT_EQ(again.errors[0].code, "duplicate_student");
  EXPECT_EQ(Students(), 4);
  options_.skip_invalid = false;
  auto strict = Import(Write("strict.csv", Rows(3, 5)));
  EXPECT_EQ(strict.status, ImportStatus::kRejected);
  EXPECT_EQ(strict.message,
            "1 行数据有误（仅校验，未写入任何数据）；请修正后重新校验，或选择跳过错误行");
  EXPECT_EQ(Students(), 4);
}

TEST_P(StudentImportTest, TheSameFileTwiceCreatesNoDuplicates) {
  std::string path = Write("twice.csv", Rows(0, 4));
  ASSERT_EQ(Import(path).status, ImportStatus::kDone);
  auto second = Import(path);
  EXPECT_EQ(second.status, ImportStatus::kAlreadyImported);
  EXPECT_FALSE(second.Failed());
  EXPECT_EQ(second.imported_rows, 4u);
  EXPECT_EQ(Students(), 4);
  // A different file holding the same people is refused row by row, naming the school.
  auto other = Import(Write("again.csv", Rows(0, 1) + Row(0)));
  EXPECT_EQ(other.status, ImportStatus::kRejected);
  ASSERT_FALSE(other.errors.empty());
  EXPECT_EQ(other.errors[0].code, "duplicate_student");
  EXPECT_NE(other.errors[0].message.find("天河区第一小学"), std::string::npos);
  EXPECT_EQ(Students(), 4);
}

TEST_P(StudentImportTest, AnInterruptedImportKeepsWholeBatchesAndResumes) {
  std::string path = Write("big.csv", Rows(0, 120));
  std::atomic<bool> cancel{false};
  options_.batch_rows = 25;
  options_.cancel = &cancel;
  options_.on_progress = [&](const ImportProgress& p) {
    if (p.phase == "write" && p.rows >= 50) cancel = true;
  };
  auto first = Import(path);
  EXPECT_EQ(first.status, ImportStatus::kFailed);
  int64_t after_first = Students();
  EXPECT_GE(after_first, 50);
  EXPECT_LT(after_first, 120);
  EXPECT_EQ(after_first % 25, 0);
  cancel = false;
  options_.on_progress = nullptr;
  auto second = Import(path);
  EXPECT_EQ(second.status, ImportStatus::kDone) << second.message;
  EXPECT_EQ(second.resumed_from_line, static_cast<uint64_t>(after_first) + 2);
  EXPECT_EQ(second.imported_rows, 120u);
  EXPECT_EQ(Students(), 120);
}

TEST_P(StudentImportTest, FileLevelProblemsAreReportedAndWriteNothing) {
  auto empty = Import(Write("empty.csv", ""));
  EXPECT_EQ(empty.status, ImportStatus::kFailed);
  EXPECT_NE(empty.message.find("文件为空"), std::string::npos);
  auto missing = Import(Write("missing.csv", "姓名,性别\n张三,1\n"));
  EXPECT_EQ(missing.status, ImportStatus::kFailed);
  bool names_birth_date = false;
  for (const auto& e : missing.errors)
    names_birth_date |= e.message.find("出生日期") != std::string::npos;
  EXPECT_TRUE(names_birth_date);
  EXPECT_EQ(Students(), 0);
}

TEST_P(StudentImportTest, RegistersSchoolsNamedInTheFileWhenAllowed) {
  std::string header(kHeader);
  header.insert(header.size() - 1, ",学校名称,学校办学类型,学校所在区划");
  std::string row = Row(7, "2144000099");
  row.insert(row.size() - 1, ",天河区新建小学,211,440106");
  std::string path = Write("schools.csv", header + row);
  auto refused = Import(path);
  EXPECT_EQ(refused.status, ImportStatus::kRejected);
  ASSERT_FALSE(refused.errors.empty());
  EXPECT_EQ(refused.errors[0].code, "unknown_school");
  options_.register_schools = true;
  auto report = ImportStudents(db(), cipher_, path, options_);
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(report.schools_registered, 1u);
  EXPECT_EQ(Students(), 1);
  EXPECT_TRUE(org::OrgStore(db()).Get(org::Scope::Everything(), "2144000099").ok());
}

TEST_P(StudentImportTest, AcceptsEnglishHeadersInAnyOrder) {
  std::string content =
      "schoolCode,name,gender,birthDate,ethnicity,idNumber,grade,classNo,entryDate,guardian1Name,guardian1Relation\n"
      "2144000001,王芳,2,2019-03-15,汉族," +
      IdFor("44010620190315002") + ",一年级,01,2025-09,王父,1\n";
  auto report = Import(Write("english.csv", content));
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(Students(), 1);
}

// The document number in a Row().
std::string IdOf(const std::string& row) {
  size_t at = 0;
  for (int i = 0; i < 4; ++i) at = row.find(',', at) + 1;
  return row.substr(at, row.find(',', at) - at);
}

// A row whose person a school outside the import's scope holds is refused without naming
// that school, and handed to on_registered_elsewhere, whose error stops the import there.
TEST_P(StudentImportTest, ARowRegisteredOutsideTheScopeNamesNoSchool) {
  org::OrgStore orgs(db());
  org::InstitutionInput liwan;
  liwan.code = "2144000002";
  liwan.parent_code = "440103";
  liwan.name = "荔湾区第一小学";
  liwan.school_type = "211";
  ASSERT_TRUE(orgs.Create(org::Scope::Everything(), liwan).ok());
  ASSERT_EQ(Import(Write("tianhe.csv", Rows(0, 4))).status,
            ImportStatus::kDone);  // at 天河区第一小学

  options_.scope = org::Scope::Of(*orgs.Get(org::Scope::Everything(), "440103"));
  options_.skip_invalid = true;
  std::vector<std::pair<uint64_t, std::string>> hits;
  options_.on_registered_elsewhere = [&](uint64_t line, std::string_view id) {
    hits.emplace_back(line, std::string(id));
    return Status();
  };
  auto report = Import(Write("liwan.csv", std::string(kHeader) + Row(0, "2144000002") +
                                              Row(10, "2144000002") + Row(1, "2144000002")));
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(report.imported_rows, 1u);
  ASSERT_EQ(report.errors.size(), 2u);
  for (const auto& e : report.errors) {
    EXPECT_EQ(e.code, "registered_elsewhere");
    EXPECT_EQ(e.field, "idNumber");
    EXPECT_EQ(e.message.find("天河"), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find("2144000001"), std::string::npos) << e.message;
  }
  EXPECT_EQ(ReportJson(report).find("2144000001"), std::string::npos);
  EXPECT_EQ(ReportCsv(report).find("天河"), std::string::npos);
  EXPECT_EQ(hits,
            (std::vector<std::pair<uint64_t, std::string>>{{2, IdOf(Row(0))}, {4, IdOf(Row(1))}}));

  // The owner may not go on: the import stops after the row, nothing written.
  hits.clear();
  options_.on_registered_elsewhere = [&](uint64_t line, std::string_view id) -> Status {
    hits.emplace_back(line, std::string(id));
    return Error::Throttled("探测过多，导入已停止");
  };
  auto stopped = Import(Write("stopped.csv", std::string(kHeader) + Row(2, "2144000002") +
                                                 Row(11, "2144000002") + Row(3, "2144000002")));
  EXPECT_EQ(stopped.status, ImportStatus::kFailed);
  EXPECT_EQ(stopped.message, "探测过多，导入已停止");
  EXPECT_EQ(hits.size(), 1u);
  EXPECT_EQ(stopped.imported_rows, 0u);
  EXPECT_EQ(Students(), 5);
}

// A child first registered without a document (a J record) whose roster row later carries
// one is refused in the import's scope, naming the J record masked: the document is added to
// that record by a correction. Another school's county is told nothing and imports the row;
// the record-quality scan finds that pair.
TEST_P(StudentImportTest, AChildWithAJRecordIsNotRegisteredAgainWithADocument) {
  const std::string header =
      "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,"
      "监护人1关系,监护人1身份证件号\n";
  const std::string guardian = IdFor("44010619800101123");
  ASSERT_EQ(Import(Write("j.csv", header +
                                      "王小红,2,2018-05-01,01,,2144000001,2,01,2024-09,"
                                      "王大明,父亲," +
                                      guardian + "\n"))
                .status,
            ImportStatus::kDone);
  ASSERT_EQ(Count("SELECT COUNT(*) FROM student WHERE number_kind = 'J'"), 1);

  options_.skip_invalid = true;
  const std::string with_id = "王小红,2,2018-05-01,01," + IdFor("44010620180501102") +
                              ",2144000001,2,01,2024-09,王大明,父亲," + guardian + "\n";
  const std::string namesake_boy = "王小红,1,2018-05-01,01," + IdFor("44010620180501111") +
                                   ",2144000001,2,01,2024-09,王大明,父亲," + guardian + "\n";
  auto report = Import(Write("again.csv", header + namesake_boy + with_id));
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(report.imported_rows, 1u);  // the boy of the same name and birth date
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].line, 3u);
  EXPECT_EQ(report.errors[0].code, "temporary_record_exists");
  EXPECT_EQ(report.errors[0].field, "idNumber");
  EXPECT_EQ(report.errors[0].column, "身份证件号");
  EXPECT_NE(report.errors[0].message.find("2144000001"), std::string::npos);
  EXPECT_EQ(Students(), 2);

  // 荔湾's roster names the same child: 天河's record is not revealed; the row is imported.
  org::OrgStore orgs(db());
  org::InstitutionInput liwan;
  liwan.code = "2144000002";
  liwan.parent_code = "440103";
  liwan.name = "荔湾区第一小学";
  liwan.school_type = "211";
  ASSERT_TRUE(orgs.Create(org::Scope::Everything(), liwan).ok());
  options_.scope = org::Scope::Of(*orgs.Get(org::Scope::Everything(), "440103"));
  std::string at_liwan = with_id;
  at_liwan.replace(at_liwan.find("2144000001"), 10, "2144000002");
  auto elsewhere = Import(Write("liwan.csv", header + at_liwan));
  EXPECT_EQ(elsewhere.imported_rows, 1u)
      << (elsewhere.errors.empty() ? "" : elsewhere.errors[0].message);
  EXPECT_EQ(Students(), 3);
}

NEMIS_STORE_TEST_SUITE(StudentImportTest);

}  // namespace
}  // namespace nemis::importer
