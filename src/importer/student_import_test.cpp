#include "importer/student_import.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "codes/id_number.hpp"
#include "db/migrations/migrate.hpp"
#include "org/org_store.hpp"
#include "testing/store_fixture.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::importer {
namespace {

constexpr std::string_view kHeader = "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n";

std::string IdFor(const std::string& first17) { return first17 + codes::IdCheckCharacter(first17); }

// A valid grade-1 row; seq (0-999) makes the ID unique, odd = boy.
std::string Row(int seq, const std::string& school = "2144000001") {
  char first17[18];
  std::snprintf(first17, sizeof first17, "44010620190315%03d", seq);
  return "张小明," + std::string(seq % 2 ? "1" : "2") + ",2019-03-15,01," + IdFor(first17) + "," + school +
         ",1,01,2025-09,张大明,父亲\n";
}

class StudentImportTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(db::Migrate(db()).ok());
    org::OrgStore orgs(db());
    ASSERT_TRUE(orgs.SeedDivisions("440000").ok());
    org::InstitutionInput in;
    in.code = "2144000001";
    in.parent_code = "440106";
    in.name = "天河区第一小学";
    in.school_type = "211";
    ASSERT_TRUE(orgs.Create(org::Scope::Everything(), in).ok());
    options_.clock = &clock_;
    options_.threads = 2;
  }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  std::string Rows(int from, int to) {
    std::string out(kHeader);
    for (int i = from; i < to; ++i) out += Row(i);
    return out;
  }

  int64_t Students() {
    auto n = db().Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT COUNT(*) FROM student"));
      return rs.rows.at(0).Int(0);
    });
    return n.ok() ? *n : -1;
  }

  ImportReport Import(const std::string& path) { return ImportStudents(db(), path, options_); }

  testing::TempDir dir_;
  FixedClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1761955200))};  // 2025-11-01
  ImportOptions options_;
};

TEST_P(StudentImportTest, ImportsAValidFileWithABom) {
  auto report = Import(Write("ok.csv", "\xEF\xBB\xBF" + Rows(0, 3)));
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(report.total_rows, 3u);
  EXPECT_EQ(report.imported_rows, 3u);
  EXPECT_FALSE(report.Failed());
  EXPECT_EQ(Students(), 3);
}

TEST_P(StudentImportTest, StrictModeWritesNothingWhenARowIsInvalid) {
  std::string content = std::string(kHeader) + Row(1) + Row(3) + "李四,1,2019-03-15,01,440106201903159999,2144000001,1,01,2025-09,李父,父亲\n";
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

// The student table's secondary indexes, by name, as the store reports them.
std::string StudentIndexes(db::Database& db) {
  auto names = db.Read<std::string>([](db::Connection& c) -> Result<std::string> {
    std::string_view sql = c.backend() == db::Backend::kSqlite
                               ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'student' "
                                 "AND sql IS NOT NULL ORDER BY name"
                               : "SELECT indexname FROM pg_indexes WHERE tablename = 'student' "
                                 "AND indexname <> 'student_pkey' ORDER BY indexname";
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
    std::string out;
    for (const auto& r : rs.rows) out += r.Text(0) + " ";
    return out;
  });
  return names.ok() ? *names : names.error().message;
}

TEST_P(StudentImportTest, AFirstLoadCommitsOnceAndRebuildsTheIndexes) {
  const std::string indexes = StudentIndexes(db());
  ASSERT_NE(indexes.find("student_name"), std::string::npos) << indexes;
  options_.first_load_min_rows = 50;
  options_.batch_rows = 25;
  std::vector<std::string> phases;
  options_.on_progress = [&](const ImportProgress& p) {
    if (phases.empty() || phases.back() != p.phase) phases.emplace_back(p.phase);
  };
  auto report = Import(Write("first.csv", Rows(0, 120)));
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(report.imported_rows, 120u);
  EXPECT_EQ(Students(), 120);
  EXPECT_EQ(phases, (std::vector<std::string>{"validate", "write", "index"}));
  EXPECT_EQ(StudentIndexes(db()), indexes);
  // The store is no longer empty: the next file is checked against it and goes in batches.
  phases.clear();
  auto next = Import(Write("next.csv", Rows(110, 180)));
  EXPECT_EQ(next.status, ImportStatus::kRejected);
  ASSERT_FALSE(next.errors.empty());
  EXPECT_EQ(next.errors[0].code, "duplicate_student");
  options_.skip_invalid = true;
  auto rest = Import(Write("next.csv", Rows(110, 180)));
  EXPECT_EQ(rest.imported_rows, 60u) << rest.message;
  EXPECT_EQ(phases.back(), "write");
  EXPECT_EQ(Students(), 180);
}

TEST_P(StudentImportTest, AnInterruptedFirstLoadLeavesTheStoreUnchangedAndStartsOver) {
  const std::string indexes = StudentIndexes(db());
  std::string path = Write("big.csv", Rows(0, 120));
  std::atomic<bool> cancel{false};
  options_.first_load_min_rows = 50;
  options_.batch_rows = 25;
  options_.cancel = &cancel;
  options_.on_progress = [&](const ImportProgress& p) {
    if (p.phase == "write" && p.rows >= 50) cancel = true;
  };
  auto first = Import(path);
  EXPECT_EQ(first.status, ImportStatus::kFailed);
  EXPECT_EQ(Students(), 0);
  EXPECT_EQ(StudentIndexes(db()), indexes);
  cancel = false;
  options_.on_progress = nullptr;
  auto second = Import(path);
  EXPECT_EQ(second.status, ImportStatus::kDone) << second.message;
  EXPECT_EQ(second.resumed_from_line, 0u);
  EXPECT_EQ(second.imported_rows, 120u);
  EXPECT_EQ(Students(), 120);
}

TEST_P(StudentImportTest, AFirstLoadCollidingWithARegistrationMadeMeanwhileWritesNothing) {
  std::string other = Write("meanwhile.csv", std::string(kHeader) + Row(7));
  options_.first_load_min_rows = 50;
  options_.batch_rows = 25;
  bool registered = false;
  options_.on_progress = [&](const ImportProgress& p) {
    if (p.phase != "validate" || registered) return;
    registered = true;  // another clerk registers row 7's student during pass 1
    ImportOptions small;
    small.clock = &clock_;
    ASSERT_EQ(ImportStudents(db(), other, small).status, ImportStatus::kDone);
  };
  const std::string indexes = StudentIndexes(db());
  auto report = Import(Write("big.csv", Rows(0, 120)));
  EXPECT_EQ(report.status, ImportStatus::kFailed);
  ASSERT_FALSE(report.errors.empty());
  EXPECT_EQ(report.errors[0].code, "duplicate_student");
  EXPECT_NE(report.message.find("学籍库未改动"), std::string::npos) << report.message;
  EXPECT_EQ(Students(), 1);
  EXPECT_EQ(StudentIndexes(db()), indexes);
}

TEST_P(StudentImportTest, FileLevelProblemsAreReportedAndWriteNothing) {
  auto empty = Import(Write("empty.csv", ""));
  EXPECT_EQ(empty.status, ImportStatus::kFailed);
  EXPECT_NE(empty.message.find("文件为空"), std::string::npos);
  auto missing = Import(Write("missing.csv", "姓名,性别\n张三,1\n"));
  EXPECT_EQ(missing.status, ImportStatus::kFailed);
  bool names_birth_date = false;
  for (const auto& e : missing.errors) names_birth_date |= e.message.find("出生日期") != std::string::npos;
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
  auto report = ImportStudents(db(), path, options_);
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(report.schools_registered, 1u);
  EXPECT_EQ(Students(), 1);
  EXPECT_TRUE(org::OrgStore(db()).Get(org::Scope::Everything(), "2144000099").ok());
}

TEST_P(StudentImportTest, AcceptsEnglishHeadersInAnyOrder) {
  std::string content =
      "schoolCode,name,gender,birthDate,ethnicity,idNumber,grade,classNo,entryDate,guardian1Name,guardian1Relation\n"
      "2144000001,王芳,2,2019-03-15,汉族," + IdFor("44010620190315002") + ",一年级,01,2025-09,王父,1\n";
  auto report = Import(Write("english.csv", content));
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(Students(), 1);
}

NEMIS_STORE_TEST_SUITE(StudentImportTest);

}  // namespace
}  // namespace nemis::importer
