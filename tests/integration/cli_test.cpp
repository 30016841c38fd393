// The `nemis` subcommands around the server: configuration (--set, environment),
// migrate, gen (to a file and into a store), import's usage errors and exit codes,
// and serve's start-up failures.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "base/date.hpp"
#include "fixture.hpp"

namespace nemis::it {
namespace {

// `--set` is documented as KEY=VALUE ("--set server.workers=8" in its help text).
TEST(CliTest, SetAcceptsKeyEqualsValueAsDocumented) {
  RunResult r = RunNemis({"config", "--set", "server.port=9123"});
  EXPECT_TRUE(r.status.Ok()) << r.Describe();
  EXPECT_NE(r.out.find("port = 9123"), std::string::npos) << r.Describe();
}

TEST(CliTest, SetAcceptsSeveralCommaSeparatedPairs) {
  RunResult r = RunNemis({"config", "--set", "server.port=9123,server.workers=3"});
  EXPECT_TRUE(r.status.Ok()) << r.Describe();
  EXPECT_NE(r.out.find("port = 9123"), std::string::npos) << r.Describe();
  EXPECT_NE(r.out.find("workers = 3"), std::string::npos) << r.Describe();
}

TEST(CliTest, ConfigPrintsEveryKeyWithItsSource) {
  RunResult r = RunNemis({"config"}, {{"server.max_body_bytes", "1024"}});
  ASSERT_TRUE(r.status.Ok()) << r.Describe();
  for (const char* line :
       {"max_body_bytes = 1024", "batch_rows = 500000", "shutdown_grace_ms = 30000",
        "env: NEMIS_SERVER_MAX_BODY_BYTES; source: env", "[server]", "[store]", "[import]",
        "[log]"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  RunResult bad = RunNemis({"config"}, {{"server.port", "eighty"}});
  EXPECT_EQ(bad.status.code, 2) << bad.Describe();
}

TEST(CliTest, UsageErrorsExitWith2) {
  testing::TempDir dir;
  std::string file = dir.File("r.csv");
  WriteFile(file, "姓名\n");
  EXPECT_EQ(RunNemis({}).status.code, 2);
  EXPECT_EQ(RunNemis({"frobnicate"}).status.code, 2);
  EXPECT_EQ(RunNemis({"import", "students"}).status.code, 2);
  EXPECT_EQ(RunNemis({"import", "students", dir.File("missing.csv")}).status.code, 2);
  RunResult enc = RunNemis(
      {"import", "students", file, "--db", "sqlite:" + dir.File("s.db"), "--encoding", "latin1"});
  EXPECT_EQ(enc.status.code, 2) << enc.Describe();
  EXPECT_EQ(RunNemis({"serve", "--port", "not-a-port"}).status.code, 2);
  EXPECT_EQ(RunNemis({"gen"}).status.code, 2);  // no --out and no --db
}

// A holiday calendar file that adds a year the release already ships: serve names the
// setting and the file, and does not start.
TEST(CliTest, ServeRefusesABadHolidayCalendarFile) {
  testing::TempDir dir;
  const std::string file = dir.File("holidays.txt");
  WriteFile(file, "year 2026\n");
  RunResult r = RunNemis({"serve", "--db", "sqlite:" + dir.File("s.db"), "--port", "0"},
                         {{"workflow.holiday_calendar_file", file}});
  EXPECT_EQ(r.status.code, 2) << r.Describe();
  EXPECT_NE(r.err.find("workflow.holiday_calendar_file"), std::string::npos) << r.Describe();
  EXPECT_NE(r.err.find("2026"), std::string::npos) << r.Describe();
}

TEST(CliTest, GenIsDeterministic) {
  testing::TempDir dir;
  auto gen = [&](const std::string& name, int seed) {
    RunResult r = RunNemis(
        {"gen", "--students", "3000", "--seed", std::to_string(seed), "--out", dir.File(name)});
    EXPECT_TRUE(r.status.Ok()) << r.Describe();
    return ReadFile(dir.File(name));
  };
  std::string a = gen("a.csv", 4), b = gen("b.csv", 4), c = gen("c.csv", 5);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  Csv csv = ParseCsv(a);
  EXPECT_EQ(csv.rows.size(), 3000u);
  // Every citizen ID the generator writes is valid and unique.
  std::set<std::string> seen;
  size_t type_col = csv.Column("身份证件类型"), id_col = csv.Column("身份证件号");
  for (const auto& row : csv.rows) {
    if (row[type_col] != "1") continue;
    EXPECT_TRUE(FollowsIdRules(row[id_col])) << row[id_col];
    EXPECT_TRUE(seen.insert(row[id_col]).second) << row[id_col];
  }
}

class CliStoreTest : public ServerTest {};

TEST_P(CliStoreTest, MigrateIsIdempotent) {
  for (int i = 0; i < 2; ++i) {
    RunResult r = RunNemisOnStore({"migrate", "--db", store().url()});
    ASSERT_TRUE(r.status.Ok()) << r.Describe();
    EXPECT_TRUE(std::regex_search(r.out, std::regex("数据库结构版本: [1-9][0-9]*"))) << r.out;
  }
  // The division tree of the node's province is seeded.
  EXPECT_GT(store().QueryInt("SELECT COUNT(*) FROM org WHERE province_code = '440000'"), 100);
  EXPECT_EQ(store().CountStudents(), 0);
}

TEST_P(CliStoreTest, GenIntoTheStoreImportsEveryRow) {
  RunResult r = RunNemisOnStore({"gen", "--students", "500", "--seed", "1", "--db", store().url()});
  ASSERT_TRUE(r.status.Ok()) << r.Describe();
  EXPECT_EQ(store().CountStudents(), 500);
  // The same as generating a file and importing it.
  GenRoster file = GenerateRoster(store().dir().path().string(), 500, 1, "same");
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM org WHERE category IS NOT NULL"),
            static_cast<int64_t>(file.schools.size()))
      << "schools registered";
}

// On a generated province, `nemis stats check` finds the engine's counts equal to the
// store's SQL for every dimension alone, for the province's cities by grade and gender,
// and for students of every status; a bad dimension is a usage error.
TEST_P(CliStoreTest, StatsCheckFindsTheEngineEqualToTheStoreOnAGeneratedProvince) {
  RunResult gen =
      RunNemisOnStore({"gen", "--students", "3000", "--seed", "7", "--db", store().url()});
  ASSERT_TRUE(gen.status.Ok()) << gen.Describe();
  const std::vector<std::vector<std::string>> checks = {
      {"--by", "grade"},
      {"--by", "gender"},
      {"--by", "ethnicity"},
      {"--by", "stage"},
      {"--by", "leftBehind"},
      {"--by", "migrantChild"},
      {"--by", "orphan"},
      {"--by", "martyrChild"},
      {"--by", "disabilityType"},
      {"--by", "inRegularClass"},
      {"--by", "boarding"},
      {"--by", "hukouType"},
      {"--by", "status", "--all"},
      {"--by", "org"},
      {"--by", "urbanRural"},
      {"--org", "440000", "--by", "org,grade,gender"},
      {"--by", "county,grade,gender,leftBehind"},
  };
  for (const auto& check : checks) {
    std::vector<std::string> args = {"stats", "check", "--db", store().url()};
    args.insert(args.end(), check.begin(), check.end());
    RunResult r = RunNemisOnStore(args);
    EXPECT_TRUE(r.status.Ok()) << r.Describe();
    EXPECT_NE(r.out.find("统计引擎：学生 3000"), std::string::npos) << r.Describe();
    EXPECT_NE(r.out.find("结果一致"), std::string::npos) << r.Describe();
  }
  RunResult bad = RunNemisOnStore({"stats", "check", "--db", store().url(), "--by", "shoeSize"});
  EXPECT_EQ(bad.status.code, 2) << bad.Describe();
  EXPECT_NE(bad.err.find("shoeSize"), std::string::npos) << bad.Describe();
}

// The text of one member of a zip file (an xlsx workbook), through Debian's unzip.
std::string UnzipMember(const std::string& zip, const std::string& member) {
  std::string out;
  FILE* pipe = popen(("unzip -p '" + zip + "' '" + member + "'").c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// A form's JSON without the day it was filled in for (the test's today) and its period.
std::string WithoutDates(const std::string& form_json) {
  auto body = nlohmann::json::parse(form_json);
  body.erase("asOf");
  body.erase("period");
  return body.dump(2) + "\n";
}

// `text` equals tests/data/golden/NAME; NEMIS_UPDATE_GOLDEN=1 writes it instead (review the
// diff before committing it).
void ExpectGolden(const std::string& name, const std::string& text) {
  const std::string path = std::string(NEMIS_GOLDEN_DIR) + "/" + name;
  if (const char* update = std::getenv("NEMIS_UPDATE_GOLDEN");
      update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << text;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "no golden file " << path << " (NEMIS_UPDATE_GOLDEN=1 writes it)";
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(text, golden.str()) << "differs from " << path;
}

// `nemis stats form 基础基312` on a generated province, now: the 总计 row's 在校生数 is the
// province's primary pupils in school, in CSV, JSON and an xlsx workbook; 基础基212's classes
// and 基础基314's senior-high students likewise; an unknown form or format is a usage error.
TEST_P(CliStoreTest, StatsFormGivesThePrimaryPupilsInEachFormat) {
  // 20,000: enough for the generator to reach senior high schools (it fills primary first).
  RunResult gen =
      RunNemisOnStore({"gen", "--students", "20000", "--seed", "5", "--db", store().url()});
  ASSERT_TRUE(gen.status.Ok()) << gen.Describe();
  const int64_t pupils = store().QueryInt(
      "SELECT COUNT(*) FROM student WHERE stage = 'primary' AND status IN ('01', '05')");
  ASSERT_GT(pupils, 0);
  const std::string today = Clock::System().TodayInChina().ToIso();
  const std::vector<std::string> form = {"stats",       "form",    "基础基312", "--db",
                                         store().url(), "--as-of", today};
  const auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = form;
    args.insert(args.end(), extra.begin(), extra.end());
    return RunNemisOnStore(args);
  };
  RunResult csv = run({});
  ASSERT_TRUE(csv.status.Ok()) << csv.Describe();
  const std::string total_row = csv.out.substr(csv.out.find("\n总计,01,") + 1);
  std::vector<std::string> cells;
  std::stringstream line(total_row.substr(0, total_row.find('\n')));
  for (std::string cell; std::getline(line, cell, ',');) cells.push_back(cell);
  ASSERT_GT(cells.size(), 8u) << csv.out;
  EXPECT_EQ(cells[8], std::to_string(pupils)) << csv.out;  // 7 在校生数
  EXPECT_EQ(cells[4], "") << csv.out;                      // 3 学前教育年限: not computed
  RunResult json_out = run({"--format", "json"});
  ASSERT_TRUE(json_out.status.Ok()) << json_out.Describe();
  const auto body = nlohmann::json::parse(json_out.out);
  EXPECT_EQ(body["form"], "教基3112");
  EXPECT_EQ(body["rows"][0]["cells"][6], pupils);
  const std::string book = store().File("form.xlsx");
  RunResult xlsx = run({"--format", "xlsx", "--out", book});
  ASSERT_TRUE(xlsx.status.Ok()) << xlsx.Describe();
  const std::string sheet = UnzipMember(book, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("<v>" + std::to_string(pupils) + "</v>"), std::string::npos) << sheet;
  EXPECT_NE(UnzipMember(book, "xl/sharedStrings.xml").find("小学分类型学生数"), std::string::npos);
  // 基础基212: every class (school, grade, class number) of those pupils once.
  const int64_t classes = store().QueryInt(
      "SELECT COUNT(*) FROM (SELECT school_code, grade, class_no FROM student WHERE stage = "
      "'primary' AND status IN ('01', '05') GROUP BY 1, 2, 3) c");
  RunResult class_form = RunNemisOnStore(
      {"stats", "form", "基础基212", "--db", store().url(), "--as-of", today, "--format", "json"});
  ASSERT_TRUE(class_form.status.Ok()) << class_form.Describe();
  EXPECT_EQ(nlohmann::json::parse(class_form.out)["rows"][0]["cells"][0], classes);
  // 基础基314 (教基3118): the senior-high students in school.
  const int64_t seniors = store().QueryInt(
      "SELECT COUNT(*) FROM student WHERE stage = 'senior' AND status IN ('01', '05')");
  ASSERT_GT(seniors, 0);
  RunResult senior_form = RunNemisOnStore(
      {"stats", "form", "基础基314", "--db", store().url(), "--as-of", today, "--format", "json"});
  ASSERT_TRUE(senior_form.status.Ok()) << senior_form.Describe();
  EXPECT_EQ(nlohmann::json::parse(senior_form.out)["rows"][0]["cells"][2], seniors);
  // Every cell of the four forms on this province, as committed (the same on both stores).
  for (const char* id : {"基础基111", "基础基312", "基础基212", "基础基314"}) {
    RunResult r = RunNemisOnStore(
        {"stats", "form", id, "--db", store().url(), "--as-of", today, "--format", "json"});
    ASSERT_TRUE(r.status.Ok()) << r.Describe();
    ExpectGolden(std::string("stats-form-") + id + "-gen-seed5-20000.json", WithoutDates(r.out));
  }
  RunResult unknown = RunNemisOnStore({"stats", "form", "基础基999", "--db", store().url()});
  EXPECT_EQ(unknown.status.code, 2) << unknown.Describe();
  EXPECT_NE(unknown.err.find("教基3112"), std::string::npos) << unknown.Describe();
  EXPECT_EQ(run({"--format", "pdf"}).status.code, 2);
}

TEST_P(CliStoreTest, ServeFailsCleanlyWhenThePortIsTaken) {
  StartServer();
  RunResult r =
      RunNemisOnStore({"serve", "--db", store().url(), "--port", std::to_string(server().port())},
                      {{"server.spool_dir", store().File("spool2")}}, std::chrono::seconds(60));
  EXPECT_EQ(r.status.code, 1) << r.Describe();
  EXPECT_NE(r.err.find("无法监听"), std::string::npos) << r.Describe();
  EXPECT_EQ(http().Get("/healthz").status, 200);  // the first one is unharmed
}

TEST_P(CliStoreTest, ServeFailsCleanlyWithoutAStore) {
  // A directory cannot be made below a regular file, even by root.
  std::string blocker = store().File("not-a-directory");
  WriteFile(blocker, "");
  std::string url = GetParam() == Backend::kSqlite ? "sqlite:" + blocker + "/x/y.db"
                                                   : "postgresql://postgres@127.0.0.1:1/nowhere";
  RunResult r =
      RunNemisOnStore({"serve", "--db", url, "--port", "0"}, {}, std::chrono::seconds(20));
  EXPECT_EQ(r.status.code, 1) << r.Describe();
  EXPECT_NE(r.err.find("无法打开数据库"), std::string::npos) << r.Describe();
  EXPECT_EQ(r.out.find("NEMIS 已启动"), std::string::npos) << r.Describe();
}

NEMIS_IT_BOTH_BACKENDS(CliStoreTest);

}  // namespace
}  // namespace nemis::it
