// C. Resume: an import killed with SIGKILL part-way leaves whole batches only, and
// running the same command again continues after the last committed batch, so the
// file ends up imported exactly once.
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "fixture.hpp"
#include "roster_files.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

constexpr int kRows = 60000;
constexpr int kBatch = 5000;

// The ID numbers of a generated roster's rows whose document is a citizen ID (type "1"
// in column 7, the number in column 8).
std::vector<std::string> CitizenIds(const std::string& text) {
  std::vector<std::string> ids;
  size_t pos = text.find('\n') + 1;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    size_t field = pos;
    for (int i = 0; i < 6; ++i) field = text.find(',', field) + 1;
    if (text.compare(field, 2, "1,") == 0) {
      size_t id = field + 2;
      ids.push_back(text.substr(id, text.find(',', id) - id));
    }
    pos = end + 1;
  }
  return ids;
}

class ImportResumeTest : public ServerTest {};

TEST_P(ImportResumeTest, KilledImportResumesAfterTheLastWholeBatch) {
  GenRoster gen =
      GenerateRoster(store().dir().path().string(), kRows, 5, "resume", /*parse=*/false);
  const std::map<std::string, std::string> settings = {
      {"import.batch_rows", std::to_string(kBatch)}};

  SpawnOptions o;
  o.argv = {NemisBinary(), "import",      "students", gen.students_path,
            "--db",        store().url(), "--report", store().File("killed.json")};
  o.settings = settings;
  o.settings.merge(
      store().NodeSettings());  // the key the resumed import (RunNemisOnStore) uses too
  o.cwd = store().dir().path().string();
  o.stdout_path = store().File("killed.out");
  o.stderr_path = store().File("killed.err");
  int64_t at_kill = -1;
  {
    ChildProcess child(o);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
    while (child.Running() && std::chrono::steady_clock::now() < deadline) {
      int64_t n = store().CountStudents();
      if (n >= kBatch && n < kRows) {
        child.Kill();
        at_kill = n;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_GE(at_kill, 0) << "the import was not caught part-way (" << child.Kill().Describe()
                          << ")\n"
                          << child.Stderr();
    EXPECT_EQ(child.exit_status()->signal, SIGKILL);
  }
  int64_t after_kill = store().CountStudents();
  std::cout << "killed with " << after_kill << " of " << kRows << " rows in the store\n";
  EXPECT_GE(after_kill, at_kill);  // a batch may commit between the count and the kill
  EXPECT_GT(after_kill, 0);
  EXPECT_LT(after_kill, kRows);
  EXPECT_EQ(after_kill % kBatch, 0) << "a partial batch was left in the store: " << after_kill;

  std::string report_path = store().File("resumed.json");
  RunResult resumed = Import(gen.students_path, {"--report", report_path}, settings);
  ASSERT_TRUE(resumed.status.Ok()) << resumed.Describe();
  json report = ReadReport(report_path);

  EXPECT_EQ(report["status"], "done") << report.dump(2);
  // Header on line 1, one physical line per row: the next batch starts at count + 2.
  EXPECT_EQ(report["resumedFromLine"], after_kill + 2) << report.dump(2);
  EXPECT_EQ(report["totalRows"], kRows);
  EXPECT_EQ(report["importedRows"], kRows);
  EXPECT_EQ(report["rejectedRows"], 0);
  EXPECT_NE(resumed.out.find("（自第 " + std::to_string(after_kill + 2) + " 行续传）"),
            std::string::npos)
      << resumed.out;

  EXPECT_EQ(store().CountStudents(), kRows);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(DISTINCT number_index) FROM student"), kRows);
  // Every citizen, imported before or after the kill, holds the G number of its own ID.
  const std::vector<std::string> citizens = CitizenIds(ReadFile(gen.students_path));
  ASSERT_GT(citizens.size(), kRows / 2u);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM student WHERE id_type = '1'"),
            static_cast<int64_t>(citizens.size()));
  EXPECT_EQ(store().CountNumberedByTheirIds(citizens), static_cast<int64_t>(citizens.size()));

  // A third run has nothing left to do.
  std::string again_path = store().File("again.json");
  RunResult again = Import(gen.students_path, {"--report", again_path}, settings);
  EXPECT_TRUE(again.status.Ok()) << again.Describe();
  EXPECT_EQ(ReadReport(again_path)["status"], "already_imported");
  EXPECT_EQ(store().CountStudents(), kRows);
}

NEMIS_IT_BOTH_BACKENDS(ImportResumeTest);

}  // namespace
}  // namespace nemis::it
