// The transfer lookup: a receiving school finds a student of another school only by the exact
// number and name, sees the answer masked, cannot tell a wrong name from an unknown number,
// is audited every time and is rate-limited.
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

std::string IdFor(const std::string& first17) { return first17 + codes::IdCheckCharacter(first17); }

class TransferLookupTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    ASSERT_TRUE(config_.Set("registry.transfer_lookup_burst", "4", "test").ok());
    ASSERT_TRUE(config_.Set("registry.transfer_lookups_per_minute", "1", "test").ok());
    AddSchool("2144000001", "440106", "天河区第一小学");
    AddSchool("2144000002", "440103", "荔湾区第一小学");
    id_ = IdFor("44010620190315001");
    std::string csv =
        "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n"
        "张小明,1,2019-03-15,01," +
        id_ + ",2144000001,1,01,2025-09,张父,父亲\n";
    std::string path = dir_.File("one.csv");
    std::ofstream(path, std::ios::binary) << csv;
    importer::ImportOptions options;
    options.threads = 1;
    ASSERT_EQ(importer::ImportStudents(db(), ctx_->cipher, path, options).imported_rows, 1u);
    AddAllRoutes(router_, *ctx_);
    receiver_ = TokenFor("liwan.school", "school_registrar", "2144000002");
  }
  http::Response Lookup(const std::string& body) {
    return Call("POST", "/api/v1/transfers/lookup", body,
                {{"Authorization", "Bearer " + receiver_}, {"Content-Type", "application/json"}});
  }
  std::vector<audit::AuditRecord> Lookups() {
    audit::AuditFilter filter;
    filter.action = "student.transfer_lookup";
    auto page = audit::Query(db(), filter);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->records : std::vector<audit::AuditRecord>{};
  }

  nemis::testing::TempDir dir_;
  std::string id_, receiver_;
};

TEST_P(TransferLookupTest, TheExactNumberAndNameFindTheStudentMasked) {
  http::Response r = Lookup(R"({"studentNumber": "G)" + id_ + R"(", "name": "张小明"})");
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["name"], "张**");
  EXPECT_EQ(body["schoolCode"], "2144000001");
  EXPECT_EQ(body["schoolName"], "天河区第一小学");
  EXPECT_EQ(body["grade"], 1);
  EXPECT_EQ(body["status"], "01");
  EXPECT_EQ(r.body.find(id_), std::string::npos) << "the number comes back masked";
  EXPECT_EQ(r.body.find("张小明"), std::string::npos);
  EXPECT_EQ(r.body.find("张父"), std::string::npos) << "nothing the transfer does not need";
  http::Response by_id = Lookup(R"({"idNumber": ")" + id_ + R"(", "name": "张小明"})");
  EXPECT_EQ(by_id.status, 200) << by_id.body;
  auto entries = Lookups();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].entry.outcome, "success");
  EXPECT_EQ(entries[0].entry.account, "liwan.school");
  EXPECT_EQ(entries[0].entry.target.find(id_), std::string::npos) << entries[0].entry.target;
  EXPECT_EQ(entries[1].entry.target.find(id_), std::string::npos) << entries[1].entry.target;
}

TEST_P(TransferLookupTest, AWrongNameAndAnUnknownNumberAnswerAlike) {
  http::Response wrong_name = Lookup(R"({"studentNumber": "G)" + id_ + R"(", "name": "张小红"})");
  http::Response unknown =
      Lookup(R"({"studentNumber": "G)" + IdFor("44010620190315002") + R"(", "name": "张小明"})");
  ASSERT_EQ(wrong_name.status, 404);
  ASSERT_EQ(unknown.status, 404);
  Json a = Json::parse(wrong_name.body)["error"];
  Json b = Json::parse(unknown.body)["error"];
  EXPECT_EQ(a["code"], b["code"]);
  EXPECT_EQ(a["message"], b["message"]);
  EXPECT_EQ(wrong_name.body.find("天河"), std::string::npos);
  auto entries = Lookups();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].entry.outcome, "failure");
  EXPECT_EQ(entries[1].entry.outcome, "failure");
}

TEST_P(TransferLookupTest, TheRequestNamesANumberAndAName) {
  http::Response neither = Lookup(R"({"name": "张小明"})");
  ASSERT_EQ(neither.status, 422);
  EXPECT_EQ(Json::parse(neither.body)["error"]["fields"][0]["field"], "studentNumber");
  http::Response both = Lookup(R"({"studentNumber": "G1", "idNumber": "1", "name": "张小明"})");
  EXPECT_EQ(both.status, 422);
  http::Response nameless = Lookup(R"({"studentNumber": "G1"})");
  ASSERT_EQ(nameless.status, 422);
  EXPECT_EQ(Json::parse(nameless.body)["error"]["fields"][0]["field"], "name");
  EXPECT_EQ(Lookup("not json").status, 400);
  EXPECT_TRUE(Lookups().empty()) << "nothing was looked up";
}

TEST_P(TransferLookupTest, AnAccountCannotTestNumbersInBulk) {
  const std::string body =
      R"({"studentNumber": "G)" + IdFor("44010620190315002") + R"(", "name": "某某"})";
  for (int i = 0; i < 4; ++i) ASSERT_EQ(Lookup(body).status, 404) << i;
  http::Response refused = Lookup(body);
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(Json::parse(refused.body)["error"]["code"], "rate_limited");
  bool retry_after = false;
  for (const auto& [name, value] : refused.headers)
    retry_after |= name == "Retry-After" && !value.empty();
  EXPECT_TRUE(retry_after);
  EXPECT_EQ(Lookups().size(), 4u) << "a refused lookup looks nothing up";
}

NEMIS_STORE_TEST_SUITE(TransferLookupTest);

}  // namespace
}  // namespace nemis::api
