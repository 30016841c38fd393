// POST /api/v1/graduations over HTTP on 10 July 2026: a primary school's registrar
// previews and then graduates its sixth grade (audited with the counts); a complete
// secondary school's 高中 goes to the city as a case (201) that the city's approval through
// the case routes graduates; the body is checked field by field; another school's
// registrar is refused and a county's school outside the caller's county is not found.
#include <gtest/gtest.h>

#include <fstream>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "audit/audit_query.hpp"
#include "codes/id_number.hpp"
#include "importer/student_import.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

class GraduationRoutesTest : public ApiStoreTest {
 protected:
  const Clock& BusinessClock() override { return clock_; }

  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool("2144000001", "440106", "天河区第一小学");
    AddSchool("3444000001", "440106", "天河区第一完全中学", "341");
    AddSchool("2144000003", "440103", "荔湾区第一小学");
    std::string csv =
        "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n";
    const char* rows[][3] = {{"2013", "2144000001", "6"},
                             {"2013", "2144000001", "6"},
                             {"2014", "2144000001", "5"},
                             {"2007", "3444000001", "12"},
                             {"2010", "3444000001", "9"}};
    int seq = 0;
    for (const auto& [born, school, grade] : rows) {
      const std::string first17 =
          "440106" + std::string(born) + "0315" + std::to_string(101 + 2 * seq++);  // odd: boys
      static const char* kNames[] = {"", "张一", "张二", "张三", "张四", "张五"};
      csv += std::string(kNames[seq]) + ",1," + born + "-03-15,01," + first17 +
             codes::IdCheckCharacter(first17) + "," + school + "," + grade + ",01," +
             std::to_string(std::stoi(born) + 7) + "-09,家长,父亲\n";
    }
    std::string path = dir_.File("roster.csv");
    std::ofstream(path, std::ios::binary) << csv;
    importer::ImportOptions options;
    options.threads = 1;
    const importer::ImportReport report =
        importer::ImportStudents(db(), ctx_->cipher, path, options);
    ASSERT_EQ(report.imported_rows, 5u)
        << report.message << (report.errors.empty() ? "" : " " + report.errors[0].message);
    AddAllRoutes(router_, *ctx_);
    primary_ = TokenFor("primary.school", "school_registrar", "2144000001");
    secondary_ = TokenFor("secondary.school", "school_registrar", "3444000001");
    city_ = TokenFor("guangzhou.city", "city_registrar", "440100");
    liwan_ = TokenFor("liwan.county", "county_registrar", "440103");
  }

  http::Response Post(const std::string& path, const std::string& body, const std::string& token,
                      std::vector<std::pair<std::string, std::string>> extra = {}) {
    extra.emplace_back("Authorization", "Bearer " + token);
    extra.emplace_back("Content-Type", "application/json");
    return Call("POST", path, body, extra);
  }
  http::Response Graduate(const std::string& body, const std::string& token) {
    return Post("/api/v1/graduations", body, token);
  }
  int64_t Count(const std::string& sql) {
    auto n = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, {}));
      return rs.rows.at(0).Int(0);
    });
    return n.ok() ? *n : -1;
  }

  FixedClock clock_{*ParseUtc("2026-07-10T02:00:00.000Z")};
  nemis::testing::TempDir dir_;
  std::string primary_, secondary_, city_, liwan_;
};

TEST_P(GraduationRoutesTest, APrimarySchoolPreviewsThenGraduatesItsSixthGrade) {
  http::Response preview =
      Graduate(R"({"school": "2144000001", "year": 2026, "dryRun": true})", primary_);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(Json::parse(preview.body),
            Json::parse(R"({"graduated": 2, "awaitingApproval": 0, "held": 0, "dryRun": true})"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student WHERE status = '07'"), 0);

  http::Response done = Graduate(R"({"school": "2144000001", "year": 2026})", primary_);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Json::parse(done.body)["graduated"], 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student WHERE status = '07' AND grade = 6"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student_change WHERE approval_ref = 'graduation:2026'"), 2);
  audit::AuditFilter filter;
  filter.action = "student.graduate";
  auto page = audit::Query(db(), filter);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_EQ(page->records[0].entry.target, "2144000001");
  EXPECT_EQ(Json::parse(page->records[0].entry.details),
            Json::parse(R"({"year": 2026, "graduated": 2, "awaitingApproval": 0, "held": 0})"));

  http::Response again = Graduate(R"({"school": "2144000001", "year": 2026})", primary_);
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(Json::parse(again.body)["error"]["code"], "nothing_to_graduate");
}

TEST_P(GraduationRoutesTest, TheCityApprovesTheSeniorHighGraduationThroughItsInbox) {
  http::Response applied = Graduate(R"({"school": "3444000001", "year": 2026})", secondary_);
  ASSERT_EQ(applied.status, 201) << applied.body;
  const Json answer = Json::parse(applied.body);
  EXPECT_EQ(answer["graduated"], 1);  // the 初中 at once
  EXPECT_EQ(answer["awaitingApproval"], 1);
  ASSERT_TRUE(answer.contains("case"));
  const int64_t id = answer["case"]["id"];
  EXPECT_EQ(answer["case"]["type"], "graduation.senior");

  http::Response inbox =
      Call("GET", "/api/v1/cases?waiting=me", "", {{"Authorization", "Bearer " + city_}});
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  EXPECT_EQ(Json::parse(inbox.body)["counts"]["byType"]["graduation.senior"]["waiting"], 1);
  http::Response approved = Post("/api/v1/cases/" + std::to_string(id) + "/approve", "{}", city_,
                                 {{"If-Match", "\"v" + answer["case"]["version"].dump() + "\""}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student WHERE status = '07' AND grade = 12"), 1);
}

TEST_P(GraduationRoutesTest, TheBodyIsCheckedAndOtherSchoolsAreRefused) {
  const std::pair<std::string, std::string> bad[] = {
      {R"({"school": "2144000001"})", "year"},
      {R"({"school": "2144000001", "year": "2026"})", "year"},
      {R"({"school": "2144000001", "year": 2026, "dryRun": "yes"})", "dryRun"},
      {R"({"year": 2026})", "school"},
  };
  for (const auto& [body, field] : bad) {
    http::Response r = Graduate(body, primary_);
    EXPECT_EQ(r.status, 422) << body;
    EXPECT_EQ(Json::parse(r.body)["error"]["fields"][0]["field"], field) << body;
  }
  EXPECT_EQ(Graduate(R"({"school": "3444000001", "year": 2026})", primary_).status, 404);
  EXPECT_EQ(Graduate(R"({"school": "2144000001", "year": 2026})", liwan_).status, 404);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM student WHERE status = '07'"), 0);
}

}  // namespace

NEMIS_STORE_TEST_SUITE(GraduationRoutesTest);

}  // namespace nemis::api
