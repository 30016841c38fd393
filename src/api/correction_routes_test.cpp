// A correction through the API: the registrar asks (202 with the case), the school head and
// the county approve, the student shows the new values and the history lists the correction,
// whole for who may see personal data (audited) and masked for anyone else; refusals answer
// 404, 403, 409 and 422 naming the field.
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

class CorrectionRoutesTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool("2144000001", "440106", "天河区第一小学");
    AddSchool("2144000003", "440103", "荔湾区第一小学");
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
    liwan_ = TokenFor("liwan.school", "school_registrar", "2144000003");
  }
  http::Response As(const std::string& token, const std::string& method, const std::string& path,
                    const std::string& body = "", const std::string& if_match = "") {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
    return Call(method, path, body, headers);
  }
  std::string Path() { return "/api/v1/students/" + number_ + "/corrections"; }
  http::Response Ask(const std::string& body, const std::string& token = "") {
    return As(token.empty() ? registrar_ : token, "POST", Path(), body);
  }
  http::Response Approve(const std::string& token, const Json& kase) {
    return As(token, "POST",
              "/api/v1/cases/" + std::to_string(kase["id"].get<int64_t>()) + "/approve", "{}",
              "\"v" + std::to_string(kase["version"].get<int64_t>()) + "\"");
  }
  // How many times personal data was shown whole (student.view_sensitive) to `account`.
  size_t Disclosures(const std::string& account) {
    audit::AuditFilter f;
    f.action = "student.view_sensitive";
    f.limit = 1000;
    auto page = audit::Query(db(), f);
    EXPECT_TRUE(page.ok());
    size_t n = 0;
    for (const auto& r : page.ok() ? page->records : std::vector<audit::AuditRecord>{})
      n += r.entry.account == account;
    return n;
  }
  std::map<std::string, std::string> FieldCodes(const http::Response& r) {
    std::map<std::string, std::string> out;
    const Json body = Json::parse(r.body);  // kept: the loop walks into it
    for (const Json& f : body["error"]["fields"])
      out[f["field"].get<std::string>()] = f["code"].get<std::string>();
    return out;
  }

  nemis::testing::TempDir dir_;
  std::string number_, registrar_, head_, county_, liwan_;
};

TEST_P(CorrectionRoutesTest, ANameCorrectionTakesEffectWhenTheSchoolAndTheCountyApprove) {
  http::Response asked = Ask(
      R"({"name": "张晓明", "reason": "户籍登记姓名与学籍不一致", "document": "户籍证明〔2026〕8号", "date": "2026-03-02"})");
  ASSERT_EQ(asked.status, 202) << asked.body;
  Json kase = Json::parse(asked.body);
  EXPECT_EQ(kase["type"], "student.correction");
  EXPECT_EQ(kase["title"], "学籍信息更正");
  EXPECT_EQ(kase["step"]["waitingAt"], "2144000001");
  EXPECT_EQ(kase["details"]["corrections"][0]["field"], "name");
  EXPECT_EQ(kase["details"]["corrections"][0]["from"], "张**");
  EXPECT_EQ(asked.body.find(number_.substr(1)), std::string::npos);
  EXPECT_EQ(asked.body.find("张晓明"), std::string::npos);

  http::Response at_school = Approve(head_, kase);
  ASSERT_EQ(at_school.status, 200) << at_school.body;
  EXPECT_EQ(Json::parse(As(registrar_, "GET", "/api/v1/students/" + number_).body)["name"],
            "张小明");
  ASSERT_EQ(Approve(county_, Json::parse(at_school.body)).status, 200);
  EXPECT_EQ(Json::parse(As(registrar_, "GET", "/api/v1/students/" + number_).body)["name"],
            "张晓明");

  // Whole for the registrar (student.view_sensitive), and audited; masked for the head.
  const size_t shown_before = Disclosures("tianhe.school");
  Json whole = Json::parse(As(registrar_, "GET", Path()).body);
  EXPECT_EQ(Disclosures("tianhe.school"), shown_before + 1);
  EXPECT_EQ(whole["masked"], false);
  ASSERT_EQ(whole["items"].size(), 1u);
  EXPECT_EQ(whole["items"][0]["status"], "applied");
  EXPECT_EQ(whole["items"][0]["fields"][0]["from"], "张小明");
  EXPECT_EQ(whole["items"][0]["fields"][0]["to"], "张晓明");
  EXPECT_EQ(whole["items"][0]["document"], "户籍证明〔2026〕8号");
  http::Response masked = As(head_, "GET", Path());
  ASSERT_EQ(masked.status, 200);
  EXPECT_EQ(Json::parse(masked.body)["masked"], true);
  EXPECT_EQ(Json::parse(masked.body)["items"][0]["fields"][0]["to"], "张**");
  EXPECT_EQ(Disclosures("tianhe.head"), 0u);
  // Another school's registrar: the student does not exist.
  EXPECT_EQ(As(liwan_, "GET", Path()).status, 404);
}

TEST_P(CorrectionRoutesTest, RefusalsNameTheFieldOrTheRule) {
  EXPECT_EQ(Ask(R"({"name": "张晓明", "reason": "r", "document": "d"})", liwan_).status, 404)
      << "another school's student";
  EXPECT_EQ(Ask(R"({"name": "张晓明", "reason": "r", "document": "d"})", head_).status, 403)
      << "the head approves; it does not ask";
  http::Response bad = Ask(R"({"gender": "5", "birthDate": "2019-02-30", "reason": "r"})");
  ASSERT_EQ(bad.status, 422);
  EXPECT_EQ(FieldCodes(bad), (std::map<std::string, std::string>{{"document", "required"}}));
  http::Response values =
      Ask(R"({"gender": "5", "birthDate": "2019-02-30", "reason": "r", "document": "d"})");
  ASSERT_EQ(values.status, 422) << values.body;
  EXPECT_EQ(FieldCodes(values).at("gender"), "unknown_code");
  EXPECT_EQ(FieldCodes(values).at("birthDate"), "bad_date");
  http::Response unknown = Ask(R"({"classNo": "03", "reason": "r", "document": "d"})");
  EXPECT_EQ(FieldCodes(unknown).at("classNo"), "unknown_field");
  http::Response g = Ask(R"({"idNumber": "440106201903150027", "reason": "r", "document": "d"})");
  ASSERT_EQ(g.status, 422);
  EXPECT_EQ(Json::parse(g.body)["error"]["code"], "g_number_id_change");
  ASSERT_EQ(Ask(R"({"name": "张晓明", "reason": "r", "document": "d"})").status, 202);
  http::Response pending = Ask(R"({"name": "张小民", "reason": "r", "document": "d"})");
  EXPECT_EQ(pending.status, 409);
  EXPECT_EQ(Json::parse(pending.body)["error"]["code"], "case_pending");
  // The pending correction is listed.
  EXPECT_EQ(Json::parse(As(registrar_, "GET", Path()).body)["items"][0]["status"], "pending");
  // A plain edit of a protected field points to the correction.
  http::Response patch =
      As(registrar_, "PATCH", "/api/v1/students/" + number_, R"({"name": "张小民"})", "\"v1\"");
  ASSERT_EQ(patch.status, 422) << patch.body;
  EXPECT_NE(patch.body.find("corrections"), std::string::npos);
}

NEMIS_STORE_TEST_SUITE(CorrectionRoutesTest);

}  // namespace
}  // namespace nemis::api
