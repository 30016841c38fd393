// A status change through the API: the school asks, the school head and the county approve
// in turn, and the student's status and history follow; refusals name their rule.
#include <gtest/gtest.h>

#include <fstream>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "codes/id_number.hpp"
#include "importer/student_import.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

class StatusChangeRoutesTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool("2144000001", "440106", "天河区第一小学");
    const std::string first17 = "44010620190315001";
    number_ = "G" + first17 + codes::IdCheckCharacter(first17);
    std::string path = dir_.File("one.csv");
    std::ofstream(path, std::ios::binary)
        << "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,"
           "监护人1关系\n张小明,1,2019-03-15,01,"
        << number_.substr(1) << ",2144000001,2,01,2024-09,张父,父亲\n";
    importer::ImportOptions options;
    options.threads = 1;
    ASSERT_EQ(importer::ImportStudents(db(), ctx_->cipher, path, options).imported_rows, 1u);
    AddAllRoutes(router_, *ctx_);
    registrar_ = TokenFor("tianhe.school", "school_registrar", "2144000001");
    head_ = TokenFor("tianhe.head", "school_head", "2144000001");
    county_ = TokenFor("tianhe.county", "county_registrar", "440106");
  }
  http::Response As(const std::string& token, const std::string& method, const std::string& path,
                    const std::string& body = "", const std::string& if_match = "") {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
    return Call(method, path, body, headers);
  }
  http::Response Ask(const std::string& body) {
    return As(registrar_, "POST", "/api/v1/students/" + number_ + "/status-changes", body);
  }
  http::Response Approve(const std::string& token, const Json& kase) {
    return As(token, "POST",
              "/api/v1/cases/" + std::to_string(kase["id"].get<int64_t>()) + "/approve", "{}",
              "\"v" + std::to_string(kase["version"].get<int64_t>()) + "\"");
  }

  nemis::testing::TempDir dir_;
  std::string number_, registrar_, head_, county_;
};

TEST_P(StatusChangeRoutesTest, ASuspensionTakesEffectWhenTheSchoolAndTheCountyApprove) {
  http::Response asked = Ask(
      R"({"type": "11", "reason": "因病休学（监护人书面申请）", "date": "2026-03-02", "documentNumber": "天河一小〔2026〕3号"})");
  ASSERT_EQ(asked.status, 201) << asked.body;
  Json kase = Json::parse(asked.body);
  EXPECT_EQ(kase["type"], "status.11");
  EXPECT_EQ(kase["title"], "休学");
  EXPECT_EQ(kase["step"]["waitingAt"], "2144000001");
  EXPECT_EQ(kase["details"]["to"]["status"], "02");
  EXPECT_EQ(asked.body.find(number_), std::string::npos) << "the number is masked in the case";
  http::Response at_school = Approve(head_, kase);
  ASSERT_EQ(at_school.status, 200) << at_school.body;
  EXPECT_EQ(Json::parse(at_school.body)["step"]["waitingAt"], "440106");
  EXPECT_EQ(Json::parse(As(registrar_, "GET", "/api/v1/students/" + number_).body)["status"], "01")
      << "nothing changes before the last approval";
  http::Response done = Approve(county_, Json::parse(at_school.body));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Json::parse(As(registrar_, "GET", "/api/v1/students/" + number_).body)["status"], "02");
  Json items =
      Json::parse(As(registrar_, "GET", "/api/v1/students/" + number_ + "/changes").body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["type"], "11");
  EXPECT_EQ(items[0]["approvalRef"], "天河一小〔2026〕3号");
  EXPECT_EQ(items[0]["statusBefore"], "01");
  EXPECT_EQ(items[0]["statusAfter"], "02");
  // Suspended: a transfer and a second suspension are refused with their reasons.
  http::Response again = Ask(R"({"type": "11", "reason": "再休学", "date": "2026-03-03"})");
  ASSERT_EQ(again.status, 422) << again.body;
  EXPECT_EQ(Json::parse(again.body)["error"]["code"], "status_not_allowed");
}

TEST_P(StatusChangeRoutesTest, RefusalsNameTheRule) {
  http::Response expel = Ask(R"({"type": "42", "reason": "违纪", "date": "2026-03-02"})");
  ASSERT_EQ(expel.status, 422) << expel.body;
  EXPECT_EQ(Json::parse(expel.body)["error"]["code"], "not_in_compulsory_education");
  http::Response transfer = Ask(R"({"type": "21", "reason": "转学", "date": "2026-03-02"})");
  ASSERT_EQ(transfer.status, 422);
  EXPECT_EQ(Json::parse(transfer.body)["error"]["fields"][0]["code"], "unknown_type");
  http::Response repeat =
      Ask(R"({"type": "02", "reason": "成绩", "date": "2026-03-02", "class": "02"})");
  EXPECT_EQ(Json::parse(repeat.body)["error"]["code"], "grade_change_not_allowed_here");
  ASSERT_EQ(Ask(R"({"type": "29", "reason": "调班", "date": "2026-03-02", "class": "03"})").status,
            201);
  http::Response pending = Ask(R"({"type": "11", "reason": "病", "date": "2026-03-02"})");
  EXPECT_EQ(Json::parse(pending.body)["error"]["code"], "case_pending");
  EXPECT_EQ(As(head_, "POST", "/api/v1/students/" + number_ + "/status-changes",
               R"({"type": "11", "reason": "病", "date": "2026-03-02"})")
                .status,
            403)
      << "the head approves; it does not ask (no student.update)";
}

NEMIS_STORE_TEST_SUITE(StatusChangeRoutesTest);

}  // namespace
}  // namespace nemis::api
