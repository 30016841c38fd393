// The `nemis` subcommands around the server: configuration (--set, environment),
// migrate, gen (to a file and into a store), import's usage errors and exit codes,
// and serve's start-up failures.
#include <gtest/gtest.h>

#include <regex>
#include <set>

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
