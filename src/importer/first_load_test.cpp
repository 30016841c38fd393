// First loads: an import into an empty registry in one pass and one transaction.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "importer/student_import_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::importer {
namespace {

using testing::IdFor;
using testing::kHeader;
using testing::Row;

class FirstLoadTest : public testing::StudentImportFixture {
 protected:
  void SetUp() override {
    StudentImportFixture::SetUp();
    options_.first_load_min_rows = 50;
    options_.batch_rows = 25;
    options_.on_progress = [this](const ImportProgress& p) {
      if (phases_.empty() || phases_.back() != p.phase) phases_.emplace_back(p.phase);
    };
    indexes_ = StudentIndexes();
    ASSERT_NE(indexes_.find("student_name"), std::string::npos) << indexes_;
  }

  // The student table's secondary indexes, by name, as the store reports them.
  std::string StudentIndexes() {
    std::string_view sql =
        backend() == db::Backend::kSqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'student' "
              "AND sql IS NOT NULL ORDER BY name"
            : "SELECT indexname FROM pg_indexes WHERE tablename = 'student' "
              "AND indexname <> 'student_pkey' ORDER BY indexname";
    auto names = db().Read<std::string>([&](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      std::string out;
      for (const auto& r : rs.rows) out += r.Text(0) + " ";
      return out;
    });
    return names.ok() ? *names : names.error().message;
  }

  // Rows 0..n-1 with the given rows replaced (line = index + 2).
  static std::string RowsWith(int n, const std::vector<std::pair<int, std::string>>& replaced) {
    std::string out(kHeader);
    for (int i = 0; i < n; ++i) {
      std::string row = Row(i);
      for (const auto& [at, text] : replaced)
        if (at == i) row = text;
      out += row;
    }
    return out;
  }

  std::vector<std::string> phases_;
  std::string indexes_;
};

const std::string kBadCheckDigit =
    "李四,1,2019-03-15,01,440106201903159999,2144000001,1,01,2025-09,李父,父亲\n";

TEST_P(FirstLoadTest, WritesInOnePassAndRebuildsTheIndexes) {
  auto report = Import(Write("first.csv", Rows(0, 120)));
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(report.total_rows, 120u);
  EXPECT_EQ(report.imported_rows, 120u);
  EXPECT_EQ(Students(), 120);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'student'"), 120);
  EXPECT_EQ(phases_, (std::vector<std::string>{"write", "index"}));
  EXPECT_EQ(StudentIndexes(), indexes_);
  EXPECT_EQ(
      Count("SELECT total_rows * 1000000 + imported_rows * 1000 + rejected_rows FROM import_job "
            "WHERE status = 'done'"),
      120120000);
  if (backend() == db::Backend::kPostgres) {
    EXPECT_GT(Count("SELECT COUNT(*) FROM pg_stats WHERE tablename = 'student'"), 0)
        << "not analysed";
  }
  // The store is no longer empty: the next file is checked against it and goes in batches.
  phases_.clear();
  auto next = Import(Write("next.csv", Rows(110, 180)));
  EXPECT_EQ(next.status, ImportStatus::kRejected);
  ASSERT_FALSE(next.errors.empty());
  EXPECT_EQ(next.errors[0].code, "duplicate_student");
  EXPECT_EQ(phases_, (std::vector<std::string>{"validate"}));
  options_.skip_invalid = true;
  auto rest = Import(Write("next.csv", Rows(110, 180)));
  EXPECT_EQ(rest.imported_rows, 60u) << rest.message;
  EXPECT_EQ(Students(), 180);
}

TEST_P(FirstLoadTest, AnInvalidRowWritesNothingAndEveryErrorIsReported) {
  auto report = Import(Write("bad.csv", RowsWith(120, {{8, kBadCheckDigit}, {100, Row(3)}})));
  EXPECT_EQ(report.status, ImportStatus::kRejected);
  EXPECT_EQ(report.total_rows, 120u);
  EXPECT_EQ(report.rejected_rows, 2u);
  EXPECT_EQ(report.imported_rows, 0u);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].line, 10u);
  EXPECT_EQ(report.errors[0].code, "bad_check_digit");
  EXPECT_EQ(report.errors[1].line, 102u);
  EXPECT_EQ(report.errors[1].code, "duplicate_in_file");
  EXPECT_NE(report.errors[1].message.find("第 5 行"), std::string::npos)
      << report.errors[1].message;
  EXPECT_EQ(Students(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM import_job"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE entity = 'student'"), 0);
  EXPECT_EQ(StudentIndexes(), indexes_);
}

TEST_P(FirstLoadTest, SkippingInvalidRowsWritesTheRestAndRemembersTheFile) {
  options_.skip_invalid = true;
  std::string path = Write("mixed.csv", RowsWith(120, {{8, kBadCheckDigit}, {100, Row(3)}}));
  auto report = Import(path);
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(report.imported_rows, 118u);
  EXPECT_EQ(report.rejected_rows, 2u);
  EXPECT_EQ(Students(), 118);
  EXPECT_EQ(phases_.front(), "write");
  auto again = Import(path);
  EXPECT_EQ(again.status, ImportStatus::kAlreadyImported);
  EXPECT_EQ(again.total_rows, 120u);
  EXPECT_EQ(again.imported_rows, 118u);
  EXPECT_EQ(again.rejected_rows, 2u);
  EXPECT_EQ(Students(), 118);
}

TEST_P(FirstLoadTest, AnInterruptedLoadLeavesTheStoreUnchangedAndStartsOver) {
  std::string path = Write("big.csv", Rows(0, 120));
  std::atomic<bool> cancel{false};
  options_.cancel = &cancel;
  options_.on_progress = [&](const ImportProgress& p) {
    if (p.phase == "write" && p.rows >= 50) cancel = true;
  };
  auto first = Import(path);
  EXPECT_EQ(first.status, ImportStatus::kFailed);
  EXPECT_NE(first.message.find("学籍库未改动"), std::string::npos) << first.message;
  EXPECT_EQ(Students(), 0);
  EXPECT_EQ(StudentIndexes(), indexes_);
  cancel = false;
  options_.on_progress = nullptr;
  auto second = Import(path);
  EXPECT_EQ(second.status, ImportStatus::kDone) << second.message;
  EXPECT_EQ(second.resumed_from_line, 0u);
  EXPECT_EQ(second.imported_rows, 120u);
  EXPECT_EQ(Students(), 120);
}

// Someone registers a student after the registry was found empty but before the load
// starts: the load notices inside its transaction and checks every row against the store.
TEST_P(FirstLoadTest, ARegistrationMadeMeanwhileIsFoundAndReported) {
  std::string other = Write("meanwhile.csv", std::string(kHeader) + Row(7));
  options_.on_progress = [&](const ImportProgress& p) {
    if (phases_.empty()) {
      ImportOptions small;
      small.clock = &clock_;
      ASSERT_EQ(ImportStudents(db(), cipher_, other, small).status, ImportStatus::kDone);
    }
    if (phases_.empty() || phases_.back() != p.phase) phases_.emplace_back(p.phase);
  };
  auto report = Import(Write("big.csv", Rows(0, 120)));
  EXPECT_EQ(report.status, ImportStatus::kRejected);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].line, 9u);
  EXPECT_EQ(report.errors[0].code, "duplicate_student");
  EXPECT_EQ(Students(), 1);
  EXPECT_EQ(StudentIndexes(), indexes_);
  EXPECT_EQ(phases_, (std::vector<std::string>{"write", "validate"}));
}

// The number of rows is estimated from the file's size and its first thousand rows.
TEST_P(FirstLoadTest, TheRowCountIsEstimatedFromTheFirstRows) {
  std::string path = Write("estimate.csv", Rows(0, 1500));
  options_.first_load_min_rows = 3000;
  EXPECT_EQ(Import(path).status, ImportStatus::kDone);
  EXPECT_EQ(phases_.front(), "validate");
  EXPECT_EQ(Students(), 1500);
}

TEST_P(FirstLoadTest, ALargeEnoughEstimateMakesAFirstLoad) {
  options_.first_load_min_rows = 1400;
  EXPECT_EQ(Import(Write("estimate.csv", Rows(0, 1500))).status, ImportStatus::kDone);
  EXPECT_EQ(phases_.front(), "write");
  EXPECT_EQ(Students(), 1500);
}

class FirstLoadSchoolsTest : public FirstLoadTest {
 protected:
  // Rows 0..n-1, every tenth of a new school 2144000099 named in the row.
  static std::string RowsWithNewSchool(int n) {
    std::string out(kHeader);
    out.insert(out.size() - 1, ",学校名称,学校办学类型,学校所在区划");
    for (int i = 0; i < n; ++i) {
      std::string row = Row(i, i % 10 ? "2144000001" : "2144000099");
      row.insert(row.size() - 1, ",天河区新建小学,211,440106");
      out += row;
    }
    return out;
  }
};

// What `nemis import` does: the store to itself and schools registered from the file.
TEST_P(FirstLoadSchoolsTest, RegistersSchoolsInsideTheLoadWithTheStoreToItself) {
  options_.exclusive_store = true;
  options_.register_schools = true;
  auto report = Import(Write("schools.csv", RowsWithNewSchool(120)));
  EXPECT_EQ(report.status, ImportStatus::kDone) << report.message;
  EXPECT_EQ(report.schools_registered, 1u);
  EXPECT_EQ(Students(), 120);
  EXPECT_EQ(
      Count(
          "SELECT COUNT(*) FROM student s JOIN org o ON o.id = s.school_id WHERE o.code = '2144000099'"),
      12);
  if (backend() == db::Backend::kSqlite) {
    auto mode = db().Read<std::string>([](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("PRAGMA journal_mode"));
      return rs.rows.at(0).Text(0);
    });
    ASSERT_OK(mode);
    EXPECT_EQ(*mode, "wal");
  }
}

TEST_P(FirstLoadSchoolsTest, ARefusedLoadRegistersNoSchool) {
  options_.exclusive_store = true;
  options_.register_schools = true;
  std::string content = RowsWithNewSchool(120);
  content +=
      "李四,1,2019-03-15,01,440106201903159999,2144000001,1,01,2025-09,李父,父亲,天河区新建小学,211,440106\n";
  auto report = Import(Write("schools.csv", content));
  EXPECT_EQ(report.status, ImportStatus::kRejected);
  EXPECT_EQ(report.schools_registered, 0u);
  EXPECT_EQ(Students(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM org WHERE code = '2144000099'"), 0);
}

NEMIS_STORE_TEST_SUITE(FirstLoadTest);
NEMIS_STORE_TEST_SUITE(FirstLoadSchoolsTest);

}  // namespace
}  // namespace nemis::importer
