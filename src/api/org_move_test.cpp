// 学校隶属关系调整 through the API: the city's registry officer moves a school of 天河区 with its
// student under 荔湾区 at the version read; the county's officer cannot reach the other county;
// every refusal answers with its code and moves nothing.
#include <gtest/gtest.h>

#include <fstream>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "codes/id_number.hpp"
#include "importer/student_import.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kPath = "/api/v1/orgs/2144000001/move";

class OrgMoveTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool("2144000001", "440106", "天河区第一小学");
    const std::string first17 = "44010620190315001";
    const std::string path = dir_.File("one.csv");
    std::ofstream(path, std::ios::binary)
        << "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,"
           "监护人1关系\n张小明,1,2019-03-15,01,"
        << first17 + codes::IdCheckCharacter(first17) << ",2144000001,2,01,2024-09,张父,父亲\n";
    importer::ImportOptions options;
    options.threads = 1;
    ASSERT_EQ(importer::ImportStudents(db(), ctx_->cipher, path, options).imported_rows, 1u);
    AddAllRoutes(router_, *ctx_);
    city_ = TokenFor("gz.city", "city_registrar", "440100");
    county_ = TokenFor("tianhe.county", "county_registrar", "440106");
  }

  http::Response Move(const std::string& token, const std::string& body,
                      const std::string& if_match = "\"v1\"") {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
    return Call("POST", std::string(kPath), body, headers);
  }

  std::string StudentCounty() {
    auto county = db().Read<std::string>([](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT county_code FROM student"));
      return rs.rows.at(0).Text(0);
    });
    return county.ok() ? *county : "";
  }

  static std::string Code(const http::Response& r) {
    const Json body = Json::parse(r.body, nullptr, false);
    const Json& error = body["error"];
    return error["fields"].empty() ? error.value("code", "") : error["fields"][0].value("code", "");
  }

  nemis::testing::TempDir dir_;
  std::string city_, county_;
};

TEST_P(OrgMoveTest, TheCityMovesASchoolAndItsStudentsUnderAnotherCounty) {
  EXPECT_EQ(Move(county_, R"({"parentCode": "440103"})").status, 404);  // not its county
  http::Response no_parent = Move(city_, "{}");
  EXPECT_EQ(no_parent.status, 422);
  EXPECT_EQ(Code(no_parent), "required");
  http::Response city = Move(city_, R"({"parentCode": "440100"})");
  EXPECT_EQ(city.status, 422);
  EXPECT_EQ(Code(city), "not_school_parent");
  http::Response same = Move(city_, R"({"parentCode": "440106"})");
  EXPECT_EQ(same.status, 422);
  EXPECT_EQ(Code(same), "same_parent");
  EXPECT_EQ(Move(city_, R"({"parentCode": "440103"})", "\"v9\"").status, 412);
  EXPECT_EQ(Move(city_, R"({"parentCode": "440103"})", "").status, 412);  // If-Match required
  EXPECT_EQ(StudentCounty(), "440106");

  http::Response moved = Move(city_, R"({"parentCode": "440103"})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  const Json school = Json::parse(moved.body);
  EXPECT_EQ(school["parentCode"], "440103");
  EXPECT_EQ(school["countyCode"], "440103");
  EXPECT_EQ(school["version"], 2);
  EXPECT_EQ(StudentCounty(), "440103");
  // Now under 荔湾区: 天河's officer no longer reaches it.
  http::Response gone =
      Call("GET", "/api/v1/orgs/2144000001", "", {{"Authorization", "Bearer " + county_}});
  EXPECT_EQ(gone.status, 404);
}

NEMIS_STORE_TEST_SUITE(OrgMoveTest);

}  // namespace
}  // namespace nemis::api
