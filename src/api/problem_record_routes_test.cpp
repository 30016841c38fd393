// /api/v1/problem-records over HTTP: the list and summary in each caller's scope (either
// side of a pair), the summary the same on every call, and a decision: If-Match required,
// the deciding party only (the city over two counties), audited, shown in the list as
// resolved with its reason, and a second decision refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "audit/audit_query.hpp"
#include "codes/id_number.hpp"
#include "importer/student_import.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

class ProblemRecordRoutesTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool("2144000001", "440106", "天河区第一小学");
    AddSchool("2144000003", "440103", "荔湾区第一小学");
    std::string csv =
        "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n";
    int seq = 0;
    for (const char* school : {"2144000001", "2144000003"}) {
      const std::string first17 = "44010620160315" + std::to_string(101 + 2 * seq++);
      csv += std::string("王小明,1,2016-03-15,01,") + first17 + codes::IdCheckCharacter(first17) +
             "," + school + ",3,01,2023-09,王父,父亲\n";
    }
    std::string path = dir_.File("roster.csv");
    std::ofstream(path, std::ios::binary) << csv;
    importer::ImportOptions options;
    options.threads = 1;
    ASSERT_EQ(importer::ImportStudents(db(), ctx_->cipher, path, options).imported_rows, 2u);
    // The scan's finding: the two 王小明 of one birth day in two counties of 广州.
    Exec(
        "INSERT INTO problem_record (finding_key, kind, student_id, school_id, school_code, "
        "county_code, city_code, province_code, other_id, other_school_id, other_school_code, "
        "other_county_code, other_city_code, other_province_code, score, details, first_seen, "
        "last_seen, state) SELECT 'same_name_birth:' || a.id || ':' || b.id, 'same_name_birth', "
        "a.id, a.school_id, a.school_code, '440106', '440100', '440000', b.id, b.school_id, "
        "b.school_code, '440103', "
        "'440100', '440000', 100, '{}', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', "
        "'open' FROM student a, student b WHERE a.school_code = '2144000001' AND "
        "b.school_code = '2144000003'");
    AddAllRoutes(router_, *ctx_);
    city_ = TokenFor("guangzhou.city", "city_registrar", "440100");
    tianhe_ = TokenFor("tianhe.county", "county_registrar", "440106");
    liwan_ = TokenFor("liwan.county", "county_registrar", "440103");
  }
  void Exec(const std::string& sql) {
    ASSERT_TRUE(db().WithWriter([&](db::Connection& c) -> Status {
                      return c.Query(sql, {}).ok() ? Status() : Error::Internal(sql);
                    })
                    .ok());
  }
  http::Response Get(const std::string& target, const std::string& token) {
    return Call("GET", target, "", {{"Authorization", "Bearer " + token}});
  }
  http::Response Post(const std::string& target, const std::string& body, const std::string& token,
                      const std::string& if_match) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
    return Call("POST", target, body, headers);
  }
  http::Response Decide(const std::string& body, const std::string& token,
                        const std::string& if_match = "\"v1\"", const std::string& id = "1") {
    return Post("/api/v1/problem-records/" + id + "/decision", body, token, if_match);
  }

  nemis::testing::TempDir dir_;
  std::string city_, tianhe_, liwan_;
};

constexpr const char* kNotDuplicate =
    R"({"decision": "not_duplicate", "reason": "监护人不同，确为两人", "document": "穗教〔2026〕3号"})";

TEST_P(ProblemRecordRoutesTest, EachSideSeesThePairAndTheSummaryIsTheSameEveryTime) {
  for (const std::string* token : {&tianhe_, &liwan_, &city_}) {
    http::Response list = Get("/api/v1/problem-records", *token);
    ASSERT_EQ(list.status, 200) << list.body;
    const Json items = Json::parse(list.body)["items"];
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0]["kind"], "same_name_birth");
    EXPECT_EQ(items[0]["version"], 1);
    EXPECT_FALSE(items[0].contains("resolution"));
  }
  for (int call = 0; call < 3; ++call) {
    http::Response summary = Get("/api/v1/problem-records/summary", liwan_);
    ASSERT_EQ(summary.status, 200) << summary.body;
    EXPECT_EQ(Json::parse(summary.body)["total"]["same_name_birth"], 1) << "call " << call;
  }
}

TEST_P(ProblemRecordRoutesTest, TheCityDecidesThePairIsNotADuplicate) {
  EXPECT_EQ(Decide(kNotDuplicate, city_, "").status, 412);
  http::Response county = Decide(kNotDuplicate, tianhe_);
  EXPECT_EQ(county.status, 403) << county.body;
  http::Response stale = Decide(kNotDuplicate, city_, "\"v2\"");
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(Json::parse(stale.body)["error"]["code"], "version_conflict");

  http::Response decided = Decide(kNotDuplicate, city_);
  ASSERT_EQ(decided.status, 200) << decided.body;
  const Json answer = Json::parse(decided.body);
  EXPECT_EQ(answer["state"], "resolved");
  EXPECT_EQ(answer["version"], 2);
  EXPECT_EQ(answer["resolution"]["kind"], "not_duplicate");
  EXPECT_EQ(answer["resolution"]["by"], "guangzhou.city");
  EXPECT_NE(std::find(decided.headers.begin(), decided.headers.end(),
                      std::pair<std::string, std::string>("ETag", "\"v2\"")),
            decided.headers.end());

  const Json open = Json::parse(Get("/api/v1/problem-records", liwan_).body)["items"];
  EXPECT_TRUE(open.empty());
  const Json resolved =
      Json::parse(Get("/api/v1/problem-records?state=resolved", liwan_).body)["items"];
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0]["resolution"]["reason"], "监护人不同，确为两人");
  EXPECT_EQ(resolved[0]["resolution"]["document"], "穗教〔2026〕3号");
  EXPECT_EQ(
      Json::parse(Get("/api/v1/problem-records/summary", city_).body)["total"]["same_name_birth"],
      0);

  audit::AuditFilter filter;
  filter.action = "problem_record.decide";
  auto page = audit::Query(db(), filter);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->records.size(), 1u);
  EXPECT_EQ(page->records[0].entry.target, "1");
  EXPECT_EQ(page->records[0].entry.details, R"({"decision":"not_duplicate"})");

  http::Response again = Decide(kNotDuplicate, city_, "\"v2\"");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Json::parse(again.body)["error"]["code"], "problem_closed");
}

TEST_P(ProblemRecordRoutesTest, ABadRequestNamesTheFieldAndAnUnknownRecordIsNotFound) {
  http::Response missing = Decide(R"({"reason": "x"})", city_);
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(Json::parse(missing.body)["error"]["fields"][0]["field"], "decision");
  http::Response evidence = Decide(R"({"decision": "evidence", "reason": "x"})", city_);
  EXPECT_EQ(evidence.status, 422);
  EXPECT_EQ(Json::parse(evidence.body)["error"]["code"], "not_decidable");
  EXPECT_EQ(Decide(kNotDuplicate, city_, "\"v1\"", "abc").status, 404);
  EXPECT_EQ(Decide(kNotDuplicate, city_, "\"v1\"", "99").status, 404);
  const Json items = Json::parse(Get("/api/v1/problem-records", city_).body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["state"], "open");
}

constexpr const char* kMerge =
    R"({"keep": "student", "reason": "经核实为同一人，在荔湾重复注册", "document": "荔教〔2026〕5号"})";

// The 荔湾 school's record is the duplicate: its registrar asks, the 天河 head confirms, the
// city approves; the finding is resolved "merged" and the 荔湾 record keeps its number,
// status 99, with a 取消学籍 change.
TEST_P(ProblemRecordRoutesTest, TheDuplicatesSchoolAsksToMergeAndTheChainApproves) {
  const std::string liwan_school = TokenFor("liwan.school", "school_registrar", "2144000003");
  const std::string tianhe_head = TokenFor("tianhe.head", "school_head", "2144000001");
  const std::string merge = "/api/v1/problem-records/1/merge";
  EXPECT_EQ(Post(merge, kMerge, liwan_school, "").status, 412);
  http::Response kept_side =
      Post(merge, R"({"keep": "other", "reason": "x"})", liwan_school, "\"v1\"");
  EXPECT_EQ(kept_side.status, 403) << "the 天河 record is not 荔湾's to retire";
  http::Response opened = Post(merge, kMerge, liwan_school, "\"v1\"");
  ASSERT_EQ(opened.status, 202) << opened.body;
  const Json kase = Json::parse(opened.body);
  EXPECT_EQ(kase["type"], "student.merge");
  EXPECT_EQ(kase["step"]["waitingAt"], "2144000001");
  EXPECT_EQ(kase["details"]["retired"]["school"]["code"], "2144000003");
  EXPECT_EQ(kase["details"]["kept"]["name"], "王**");
  const Json listed = Json::parse(Get("/api/v1/problem-records", city_).body)["items"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["caseId"], kase["id"]);
  http::Response busy = Decide(kNotDuplicate, city_, "\"v2\"");
  EXPECT_EQ(busy.status, 409);
  EXPECT_EQ(Json::parse(busy.body)["error"]["code"], "case_pending");

  const std::string approve = "/api/v1/cases/" + kase["id"].dump() + "/approve";
  ASSERT_EQ(Post(approve, "{}", tianhe_head, "\"v1\"").status, 200);
  http::Response done = Post(approve, "{}", city_, "\"v2\"");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Json::parse(done.body)["status"], "approved");

  const Json resolved =
      Json::parse(Get("/api/v1/problem-records?state=resolved", city_).body)["items"];
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0]["resolution"]["kind"], "merged");
  EXPECT_EQ(resolved[0]["resolution"]["by"], "guangzhou.city");
  EXPECT_EQ(resolved[0]["other"]["status"], "99");
  EXPECT_EQ(resolved[0]["student"]["status"], "01");
  // The 荔湾 school reads its retired student's number whole, and its history.
  const Json own =
      Json::parse(Get("/api/v1/problem-records?state=resolved", liwan_school).body)["items"];
  ASSERT_EQ(own.size(), 1u);
  const std::string number = own[0]["other"]["studentNumber"];
  const Json changes =
      Json::parse(Get("/api/v1/students/" + number + "/changes", liwan_school).body);
  ASSERT_EQ(changes["items"].size(), 1u) << changes.dump();
  EXPECT_EQ(changes["items"][0]["type"], "18");
  // The retired record says where the student is now.
  const Json retired = Json::parse(Get("/api/v1/students/" + number, liwan_school).body);
  EXPECT_EQ(retired["status"], "99");
  EXPECT_EQ(retired["mergedInto"]["caseId"], kase["id"]);
  EXPECT_EQ(retired["mergedInto"]["studentNumber"], kase["details"]["kept"]["number"]);
  http::Response again = Post(merge, kMerge, liwan_school, "\"v3\"");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Json::parse(again.body)["error"]["code"], "problem_closed");
}

}  // namespace

NEMIS_STORE_TEST_SUITE(ProblemRecordRoutesTest);

}  // namespace nemis::api
