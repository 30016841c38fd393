// A transfer through the API from start to end: the receiving school opens it, each level of
// the chain approves in its own session, the student moves with its 21/22 history, and
// nobody outside the chain sees the case.
#include <gtest/gtest.h>

#include <fstream>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "audit/audit_log.hpp"
#include "codes/id_number.hpp"
#include "importer/student_import.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

class TransferCaseTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool("2144000001", "440106", "天河区第一小学");
    AddSchool("2144000002", "440103", "荔湾区第一小学");
    const std::string first17 = "44010620190315001";
    id_ = first17 + codes::IdCheckCharacter(first17);
    std::string path = dir_.File("one.csv");
    std::ofstream(path, std::ios::binary)
        << "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,"
           "监护人1关系\n张小明,1,2019-03-15,01,"
        << id_ << ",2144000001,2,01,2024-09,张父,父亲\n";
    importer::ImportOptions options;
    options.threads = 1;
    ASSERT_EQ(importer::ImportStudents(db(), ctx_->cipher, path, options).imported_rows, 1u);
    AddAllRoutes(router_, *ctx_);
    receiver_ = TokenFor("liwan.school", "school_registrar", "2144000002");
    receiving_county_ = TokenFor("liwan.county", "county_registrar", "440103");
    sender_ = TokenFor("tianhe.head", "school_head", "2144000001");
    sending_county_ = TokenFor("tianhe.county", "county_registrar", "440106");
    sibling_county_ = TokenFor("yuexiu.county", "county_registrar", "440104");
    sending_registrar_ = TokenFor("tianhe.school", "school_registrar", "2144000001");
  }

  http::Response As(const std::string& token, const std::string& method, const std::string& path,
                    const std::string& body = "", const std::string& if_match = "") {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
    return Call(method, path, body, headers);
  }
  std::string Number() const { return "G" + id_; }
  std::string TransferBody(const std::string& grade = "2") const {
    return R"({"studentNumber": ")" + Number() + R"(", "toSchool": "2144000002", "grade": ")" +
           grade + R"(", "class": "03", "reason": "随父母工作调动", "date": "2026-03-02"})";
  }
  // Approves case `id` as `token`, at the version the caller reads first.
  http::Response Approve(const std::string& token, int64_t id) {
    http::Response got = As(token, "GET", "/api/v1/cases/" + std::to_string(id));
    EXPECT_EQ(got.status, 200) << got.body;
    return As(token, "POST", "/api/v1/cases/" + std::to_string(id) + "/approve", "{}",
              "\"" + std::to_string(Json::parse(got.body).value("version", 0)) + "\"");
  }
  int64_t Waiting(const std::string& token) {
    http::Response r = As(token, "GET", "/api/v1/cases?waiting=me");
    EXPECT_EQ(r.status, 200) << r.body;
    return Json::parse(r.body)["counts"]["waiting"].get<int64_t>();
  }

  nemis::testing::TempDir dir_;
  std::string id_, receiver_, receiving_county_, sender_, sending_county_, sibling_county_,
      sending_registrar_;
};

TEST_P(TransferCaseTest, ACrossCountyTransferMovesTheStudentAfterEveryLevelApproves) {
  http::Response opened = As(receiver_, "POST", "/api/v1/transfers", TransferBody());
  ASSERT_EQ(opened.status, 201) << opened.body;
  Json kase = Json::parse(opened.body);
  const int64_t id = kase["id"];
  EXPECT_EQ(kase["type"], "transfer.other_county");
  EXPECT_EQ(kase["step"]["waitingAt"], "440103");
  EXPECT_EQ(kase["details"]["student"]["name"], "张**");
  EXPECT_EQ(opened.body.find(id_), std::string::npos) << "the number is masked in the case";
  EXPECT_EQ(kase["details"]["from"]["school"], "2144000001");
  EXPECT_EQ(kase["details"]["to"]["class"], "03");
  EXPECT_EQ(kase["allowedActions"], Json::array({"cancel"})) << "the opener may only cancel";
  http::Response at_county = As(receiving_county_, "GET", "/api/v1/cases/" + std::to_string(id));
  EXPECT_EQ(Json::parse(at_county.body)["allowedActions"], Json::array({"approve", "reject"}));
  EXPECT_EQ(
      Json::parse(As(sender_, "GET", "/api/v1/cases/" + std::to_string(id)).body)["allowedActions"],
      Json::array())
      << "the sending school's step is not yet due";

  // The receiving side does not see the student's record before the case is approved.
  EXPECT_EQ(As(receiver_, "GET", "/api/v1/students/" + Number()).status, 404);
  // Whoever is outside the chain sees nothing of it.
  EXPECT_EQ(As(sibling_county_, "GET", "/api/v1/cases/" + std::to_string(id)).status, 404);
  EXPECT_EQ(Waiting(sibling_county_), 0);

  EXPECT_EQ(Waiting(sender_), 0) << "the sending school's step is not yet due";
  EXPECT_EQ(Waiting(receiving_county_), 1);
  ASSERT_EQ(Approve(receiving_county_, id).status, 200);
  EXPECT_EQ(Waiting(sender_), 1);
  ASSERT_EQ(Approve(sender_, id).status, 200);
  EXPECT_EQ(Waiting(sibling_county_), 0);
  http::Response last = Approve(sending_county_, id);
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_EQ(Json::parse(last.body)["status"], "approved");

  http::Response moved = As(receiver_, "GET", "/api/v1/students/" + Number());
  ASSERT_EQ(moved.status, 200) << moved.body;
  Json student = Json::parse(moved.body);
  EXPECT_EQ(student["schoolCode"], "2144000002");
  EXPECT_EQ(student["classNo"], "03");
  EXPECT_EQ(As(sending_registrar_, "GET", "/api/v1/students/" + Number()).status, 404)
      << "the sending school no longer reaches the student";

  http::Response changes = As(receiver_, "GET", "/api/v1/students/" + Number() + "/changes");
  ASSERT_EQ(changes.status, 200) << changes.body;
  Json items = Json::parse(changes.body)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["type"], "21");
  EXPECT_EQ(items[0]["typeName"], "转学(转出)");
  EXPECT_EQ(items[1]["type"], "22");
  EXPECT_EQ(items[1]["fromSchool"], "2144000001");
  EXPECT_EQ(items[1]["toSchool"], "2144000002");
  EXPECT_EQ(items[1]["date"], "2026-03-02");
  EXPECT_EQ(items[1]["caseId"], id);
  EXPECT_EQ(items[1]["approvalRef"], "case:" + std::to_string(id));
}

TEST_P(TransferCaseTest, RefusalsAreUnprocessableWithAStableCode) {
  http::Response bad = As(receiver_, "POST", "/api/v1/transfers", R"({"toSchool": "2144000002"})");
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Json::parse(bad.body)["error"]["fields"][0]["field"], "studentNumber");
  http::Response wrong_stage = As(receiver_, "POST", "/api/v1/transfers", TransferBody("8"));
  ASSERT_EQ(wrong_stage.status, 422) << wrong_stage.body;
  EXPECT_EQ(Json::parse(wrong_stage.body)["error"]["code"], "grade_not_offered");
  ASSERT_EQ(As(receiver_, "POST", "/api/v1/transfers", TransferBody()).status, 201);
  http::Response again = As(receiver_, "POST", "/api/v1/transfers", TransferBody());
  ASSERT_EQ(again.status, 422) << again.body;
  EXPECT_EQ(Json::parse(again.body)["error"]["code"], "transfer_pending");
  http::Response unknown =
      As(receiver_, "POST", "/api/v1/transfers",
         R"({"studentNumber": "G440106201903150029", "toSchool": "2144000002",)"
         R"( "grade": "2", "class": "1", "reason": "x", "date": "2026-03-02"})");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
}

TEST_P(TransferCaseTest, OnlyTheReceivingSchoolOpensAndNobodyApprovesTwoSteps) {
  http::Response elsewhere = As(sending_registrar_, "POST", "/api/v1/transfers", TransferBody());
  EXPECT_EQ(elsewhere.status, 403) << "a school cannot open a transfer into another school";
  // Within one county the county's registrar reaches both steps (the sending school's and
  // its own): it may take one of them, never both.
  AddSchool("2144000003", "440106", "天河区第二小学");
  std::string body = TransferBody();
  body.replace(body.find("2144000002"), 10, "2144000003");
  http::Response opened = As(sending_county_, "POST", "/api/v1/transfers", body);
  ASSERT_EQ(opened.status, 201) << opened.body;
  const int64_t id = Json::parse(opened.body)["id"];
  EXPECT_EQ(Json::parse(opened.body)["type"], "transfer.same_county");
  http::Response own = Approve(sending_county_, id);
  ASSERT_EQ(own.status, 403) << "the opener approves nothing";
  EXPECT_EQ(Json::parse(own.body)["error"]["code"], "not_your_step");
  ASSERT_EQ(Approve(sender_, id).status, 200);
  http::Response second = Approve(sender_, id);
  EXPECT_EQ(second.status, 403) << "the school head does not reach the county's step";
}

// 广西 (45) runs its own node: the case waits there after 广东's county and province, where
// only the exchange acts. Its opener may not cancel it, only ask to withdraw it (once, with a
// reason, audited); the case stays open, showing the request, until that node answers.
TEST_P(TransferCaseTest, ATransferWaitingAtAnotherNodeIsWithdrawnByAskingThatNode) {
  const std::string province = TokenFor("gd.province", "province_registrar", "440000");
  http::Response opened = As(receiver_, "POST", "/api/v1/transfers",
                             R"({"studentNumber": "G450102201603011234", "name": "韦小宁", )"
                             R"("fromProvince": "45", "toSchool": "2144000002", "grade": "3", )"
                             R"("class": "02", "reason": "随父母工作调动", "date": "2026-03-02"})");
  ASSERT_EQ(opened.status, 201) << opened.body;
  const int64_t id = Json::parse(opened.body)["id"];
  const std::string path = "/api/v1/cases/" + std::to_string(id);
  http::Response early =
      As(receiver_, "POST", path + "/withdraw", R"({"reason": "不转了"})", "\"1\"");
  EXPECT_EQ(early.status, 409) << early.body;  // still here: cancel it instead
  EXPECT_EQ(Json::parse(early.body)["error"]["code"], "not_at_other_node");
  ASSERT_EQ(Approve(receiving_county_, id).status, 200);
  ASSERT_EQ(Approve(province, id).status, 200);

  Json kase = Json::parse(As(receiver_, "GET", path).body);
  EXPECT_EQ(kase["allowedActions"], Json::array({"withdraw"}));
  EXPECT_EQ(kase["otherNode"],
            (Json{{"state", "waiting"}, {"progress", nullptr}, {"withdrawal", nullptr}}));
  const std::string version = "\"" + std::to_string(kase["version"].get<int64_t>()) + "\"";
  http::Response cancel =
      As(receiver_, "POST", path + "/cancel", R"({"reason": "不转了"})", version);
  EXPECT_EQ(cancel.status, 422) << cancel.body;
  EXPECT_EQ(Json::parse(cancel.body)["error"]["code"], "transfer_at_other_node");
  EXPECT_EQ(
      As(receiving_county_, "POST", path + "/withdraw", R"({"reason": "不转了"})", version).status,
      403);
  http::Response blank = As(receiver_, "POST", path + "/withdraw", R"({"reason": "  "})", version);
  EXPECT_EQ(blank.status, 422) << blank.body;
  EXPECT_EQ(Json::parse(blank.body)["error"]["fields"][0]["field"], "reason");
  EXPECT_EQ(As(receiver_, "POST", path + "/withdraw", R"({"reason": "不转了"})", "\"1\"").status,
            409);  // an older version

  http::Response asked =
      As(receiver_, "POST", path + "/withdraw", R"({"reason": "家长决定暂不转学"})", version);
  ASSERT_EQ(asked.status, 202) << asked.body;
  kase = Json::parse(asked.body);
  EXPECT_EQ(kase["status"], "open");
  EXPECT_EQ(kase["allowedActions"], Json::array());
  EXPECT_EQ(kase["otherNode"]["withdrawal"]["reason"], "家长决定暂不转学");
  EXPECT_EQ(kase["otherNode"]["withdrawal"]["askedBy"], "liwan.school");
  http::Response again =
      As(receiver_, "POST", path + "/withdraw", R"({"reason": "家长决定暂不转学"})", version);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Json::parse(again.body)["error"]["code"], "withdrawal_asked");
  ASSERT_TRUE(audit::SealAll(db()).ok());
  auto audited = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs,
                           c.Query("SELECT COUNT(*) FROM audit_log WHERE action = 'case.withdraw' "
                                   "AND target = $1 AND account = 'liwan.school'",
                                   {"case:" + std::to_string(id)}));
    return rs.rows.at(0).Int(0);
  });
  ASSERT_TRUE(audited.ok());
  EXPECT_EQ(*audited, 1);
}

NEMIS_STORE_TEST_SUITE(TransferCaseTest);

}  // namespace
}  // namespace nemis::api
