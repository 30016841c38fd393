// /api/v1/registry/promotions over HTTP on 11 August 2026: the province's registrar
// previews the promotion of 广州 (counts per school) and runs it in the background, polled
// until done (students promoted and graduated, audited); a county's registrar is refused;
// the body is checked; an unknown run, or another's out of reach, is not found; before
// 24:00 on 10 August only a dry run is allowed.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "api/promotion_runner.hpp"
#include "audit/audit_query.hpp"
#include "codes/id_number.hpp"
#include "importer/student_import.hpp"
#include "registry/current_grade.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

class PromotionRoutesTest : public ApiStoreTest {
 protected:
  const Clock& BusinessClock() override { return clock_; }

  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool("2144000001", "440106", "天河区第一小学");
    AddSchool("2144000003", "440103", "荔湾区第一小学");
    std::string csv =
        "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n";
    const char* rows[][4] = {{"张一", "2013", "2144000001", "6"},
                             {"张二", "2016", "2144000001", "3"},
                             {"张三", "2016", "2144000003", "3"}};
    int seq = 0;
    for (const auto& [name, born, school, grade] : rows) {
      const std::string first17 =
          "440106" + std::string(born) + "0315" + std::to_string(101 + 2 * seq++);
      csv += std::string(name) + ",1," + born + "-03-15,01," + first17 +
             codes::IdCheckCharacter(first17) + "," + school + "," + grade + ",01," +
             std::to_string(std::stoi(born) + 7) + "-09,家长,父亲\n";
    }
    std::string path = dir_.File("roster.csv");
    std::ofstream(path, std::ios::binary) << csv;
    importer::ImportOptions options;
    options.threads = 1;
    ASSERT_EQ(importer::ImportStudents(db(), ctx_->cipher, path, options).imported_rows, 3u);
    AddAllRoutes(router_, *ctx_);
    province_ = TokenFor("gd.province", "province_registrar", "440000");
    county_ = TokenFor("tianhe.county", "county_registrar", "440106");
  }

  http::Response Post(const std::string& body, const std::string& token) {
    return Call("POST", "/api/v1/registry/promotions", body,
                {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  }
  static std::string ETagOf(const http::Response& r) {
    for (const auto& [name, value] : r.headers)
      if (name == "ETag") return value;
    return "";
  }
  http::Response Get(const std::string& target, const std::string& token) {
    return Call("GET", target, "", {{"Authorization", "Bearer " + token}});
  }
  int64_t Count(const std::string& sql) {
    auto n = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, {}));
      return rs.rows.at(0).Int(0);
    });
    return n.ok() ? *n : -1;
  }

  FixedClock clock_{*ParseUtc("2026-08-11T01:00:00.000Z")};  // 09:00 on 11 August in Beijing
  nemis::testing::TempDir dir_;
  std::string province_, county_;
};

TEST_P(PromotionRoutesTest, TheProvincePreviewsThenRunsTheCitysPromotion) {
  http::Response preview = Post(R"({"org": "440100", "year": 2026, "dryRun": true})", province_);
  ASSERT_EQ(preview.status, 200) << preview.body;
  const Json dry = Json::parse(preview.body);
  EXPECT_EQ(dry["total"], Json::parse(R"({"promoted": 2, "graduated": 1, "held": 0})"));
  ASSERT_EQ(dry["schools"].size(), 2u);
  EXPECT_EQ(dry["schools"][0]["school"], "2144000001");
  EXPECT_EQ(dry["schools"][0]["graduated"], 1);
  const std::string in_grade_4 = "SELECT COUNT(*) FROM student s WHERE " +
                                 registry::CurrentGradeSql(registry::SchoolPromotionsSql()) +
                                 " = 4";
  EXPECT_EQ(Count(in_grade_4), 0);

  http::Response started = Post(R"({"org": "440100", "year": 2026})", province_);
  ASSERT_EQ(started.status, 202) << started.body;
  const int64_t id = Json::parse(started.body)["id"];
  Json run;
  for (int i = 0; i < 200; ++i) {
    run = Json::parse(Get("/api/v1/registry/promotions/" + std::to_string(id), province_).body);
    if (run["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(run["state"], "done") << run.dump();
  EXPECT_EQ(run["report"]["total"], dry["total"]);
  EXPECT_EQ(run["startedBy"], "gd.province");
  EXPECT_EQ(Count(in_grade_4), 2);
  // Every school of the city had the year's promotion; none elsewhere.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM org WHERE level = 4 AND (city_code = '440100') <> "
                  "(promoted_year = 2026)"),
            0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student WHERE status = '07'"), 1);
  audit::AuditFilter filter;
  filter.action = "registry.promote";
  auto page = audit::Query(db(), filter);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_EQ(page->records[0].entry.target, "440100");
  // The county cannot follow the province's run.
  EXPECT_EQ(Get("/api/v1/registry/promotions/" + std::to_string(id), county_).status, 404);
}

// A promotion changes a student's grade without writing the student: the student's ETag names
// its school's promotion count, so a change made on what was read before the promotion is
// refused (412), and made again on the new ETag it goes through with the grade as it is now.
TEST_P(PromotionRoutesTest, AStudentReadBeforeThePromotionIsNotChangedOnThatReading) {
  const std::string first17 = "44010620160315103";  // 张二, grade 3 at 2144000001
  const std::string path = "/api/v1/students/G" + first17 + codes::IdCheckCharacter(first17);
  const std::string registrar = TokenFor("tianhe1.registrar", "school_registrar", "2144000001");
  http::Response before = Get(path, registrar);
  ASSERT_EQ(before.status, 200) << before.body;
  const std::string seen = ETagOf(before);
  EXPECT_EQ(seen, "\"v1.0\"");

  http::Response started = Post(R"({"org": "440106", "year": 2026})", province_);
  ASSERT_EQ(started.status, 202) << started.body;
  const int64_t id = Json::parse(started.body)["id"];
  for (int i = 0; i < 200; ++i) {
    if (Json::parse(
            Get("/api/v1/registry/promotions/" + std::to_string(id), province_).body)["state"] !=
        "running")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto patch = [&](const std::string& tag) {
    return Call("PATCH", path, R"({"grade": "3", "classNo": "02"})",
                {{"Authorization", "Bearer " + registrar},
                 {"Content-Type", "application/json"},
                 {"If-Match", tag}});
  };
  EXPECT_EQ(patch(seen).status, 412);
  http::Response now = Get(path, registrar);
  EXPECT_EQ(Json::parse(now.body)["grade"], 4);
  EXPECT_EQ(Json::parse(now.body)["version"], 1);
  EXPECT_EQ(ETagOf(now), "\"v1.1\"");
  // On what it reads now, the school may change the class (and keeps grade 4 unless it asks).
  http::Response changed = Call("PATCH", path, R"({"classNo": "02"})",
                                {{"Authorization", "Bearer " + registrar},
                                 {"Content-Type", "application/json"},
                                 {"If-Match", ETagOf(now)}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Json::parse(changed.body)["grade"], 4);
  EXPECT_EQ(ETagOf(changed), "\"v2.1\"");
}

// The run is kept in the store: after a restart (a new runner) it is answered as it ended;
// a run left 'running' by a node that stopped shows as interrupted once silent, and the
// next start ends it in the store.
TEST_P(PromotionRoutesTest, ARunOutlivesARestartAndADeadOneShowsInterrupted) {
  ASSERT_TRUE(db().WithWriter([](db::Connection& c) -> Status {
                    NEMIS_TRY(c.Query(
                        "INSERT INTO promotion_run (org, year, state, done, total, started_by, "
                        "started_at, updated_at) VALUES ('440100', 2026, 'running', 3, 9, "
                        "'gd.province', '2026-08-11T00:00:00.000Z', '2026-08-11T00:00:00.000Z')"));
                    return {};
                  })
                  .ok());
  const Json dead = Json::parse(Get("/api/v1/registry/promotions/1", province_).body);
  EXPECT_EQ(dead["state"], "failed");
  EXPECT_EQ(dead["error"]["code"], "interrupted");
  EXPECT_EQ(dead["done"], 3);

  http::Response started = Post(R"({"org": "440100", "year": 2026})", province_);
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string path = "/api/v1/registry/promotions/" + Json::parse(started.body)["id"].dump();
  Json run;
  for (int i = 0; i < 200; ++i) {
    run = Json::parse(Get(path, province_).body);
    if (run["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(run["state"], "done") << run.dump();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM promotion_run WHERE state = 'failed' AND "
                  "error_code = 'interrupted'"),
            1);

  ctx_->promotions = std::make_unique<PromotionRunner>(db(), clock_);  // the node restarted
  const Json after = Json::parse(Get(path, province_).body);
  EXPECT_EQ(after["state"], "done");
  EXPECT_EQ(after["report"]["total"], run["report"]["total"]);
  EXPECT_EQ(after["report"]["schools"], run["report"]["schools"]);
  EXPECT_EQ(after["finishedAt"], run["finishedAt"]);
}

TEST_P(PromotionRoutesTest, OnlyTheProvinceLevelAndAWellFormedBody) {
  EXPECT_EQ(Post(R"({"org": "440106", "year": 2026, "dryRun": true})", county_).status, 403);
  const std::pair<std::string, std::string> bad[] = {
      {R"({"year": 2026})", "org"},
      {R"({"org": "440100"})", "year"},
      {R"({"org": "440100", "year": 2026, "dryRun": 1})", "dryRun"},
      {R"({"org": "440100", "year": 1999, "dryRun": true})", "year"},
  };
  for (const auto& [body, field] : bad) {
    http::Response r = Post(body, province_);
    EXPECT_EQ(r.status, 422) << body;
    EXPECT_EQ(Json::parse(r.body)["error"]["fields"][0]["field"], field) << body;
  }
  EXPECT_EQ(Post(R"({"org": "2144009999", "year": 2026})", province_).status, 404);
  EXPECT_EQ(Get("/api/v1/registry/promotions/1", province_).status, 404);
  EXPECT_EQ(Get("/api/v1/registry/promotions/x", province_).status, 404);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student WHERE promoted_year = 2026"), 0);
}

TEST_P(PromotionRoutesTest, BeforeTheTenthOfAugustIsOverOnlyADryRun) {
  clock_.Set(*ParseUtc("2026-08-10T15:59:59.000Z"));  // 23:59:59 on 10 August in Beijing
  http::Response early = Post(R"({"org": "440100", "year": 2026})", province_);
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(Json::parse(early.body)["error"]["code"], "promotion_too_early");
  EXPECT_EQ(Post(R"({"org": "440100", "year": 2026, "dryRun": true})", province_).status, 200);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student WHERE promoted_year = 2026"), 0);
}

}  // namespace

NEMIS_STORE_TEST_SUITE(PromotionRoutesTest);

}  // namespace nemis::api
