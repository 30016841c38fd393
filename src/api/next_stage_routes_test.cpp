// POST /api/v1/next-stage-enrolments over HTTP: a junior high school enrols a primary
// graduate by number and name; a wrong name is refused row by row with nothing enrolled;
// another school's registrar is refused; the body's shape is checked; every request is
// audited without the numbers.
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

class NextStageRoutesTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool("2144000001", "440106", "天河区第一小学");
    AddSchool("3144000001", "440106", "天河区第一中学", "311");
    const std::string first17 = "44010620130315001";
    number_ = "G" + first17 + codes::IdCheckCharacter(first17);
    std::string csv =
        "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n"
        "张小明,1,2013-03-15,01," +
        number_.substr(1) + ",2144000001,6,01,2019-09,张父,父亲\n";
    std::string path = dir_.File("one.csv");
    std::ofstream(path, std::ios::binary) << csv;
    importer::ImportOptions options;
    options.threads = 1;
    ASSERT_EQ(importer::ImportStudents(db(), ctx_->cipher, path, options).imported_rows, 1u);
    Exec("UPDATE student SET status = '07'");  // graduated in July
    AddAllRoutes(router_, *ctx_);
    junior_ = TokenFor("junior.school", "school_registrar", "3144000001");
  }
  void Exec(const std::string& sql) {
    ASSERT_TRUE(db().WithWriter([&](db::Connection& c) -> Status {
                      return c.Query(sql, {}).ok() ? Status() : Error::Internal(sql);
                    })
                    .ok());
  }
  http::Response Enrol(const std::string& body, const std::string& token) {
    return Call("POST", "/api/v1/next-stage-enrolments", body,
                {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  }
  std::string Body(const std::string& name) {
    return R"({"toSchool": "3144000001", "grade": "初一", "students": [{"studentNumber": ")" +
           number_ + R"(", "name": ")" + name + R"(", "class": "03"}]})";
  }
  std::string SchoolOfStudent() {
    auto school = db().Read<std::string>([](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT school_code FROM student", {}));
      return rs.rows.at(0).Text(0);
    });
    return school.ok() ? *school : "";
  }
  std::vector<audit::AuditRecord> Entries() {
    audit::AuditFilter filter;
    filter.action = "student.next_stage_enrol";
    auto page = audit::Query(db(), filter);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->records : std::vector<audit::AuditRecord>{};
  }

  nemis::testing::TempDir dir_;
  std::string number_, junior_;
};

TEST_P(NextStageRoutesTest, TheJuniorHighSchoolEnrolsTheGraduateByNumberAndName) {
  http::Response r = Enrol(Body("张小明"), junior_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body)["enrolled"], 1);
  EXPECT_EQ(SchoolOfStudent(), "3144000001");
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].entry.outcome, "success");
  EXPECT_EQ(entries[0].entry.target, "3144000001");
  EXPECT_EQ(entries[0].entry.details.find(number_.substr(1)), std::string::npos);
}

TEST_P(NextStageRoutesTest, AWrongNameEnrolsNobodyAndSaysWhichRow) {
  http::Response r = Enrol(Body("张小红"), junior_);
  ASSERT_EQ(r.status, 422) << r.body;
  const Json error = Json::parse(r.body)["error"];
  EXPECT_EQ(error["fields"][0]["field"], "students[0].studentNumber");
  EXPECT_EQ(error["fields"][0]["code"], "not_found");
  EXPECT_EQ(r.body.find("天河区第一小学"), std::string::npos) << "nothing about the student";
  EXPECT_EQ(SchoolOfStudent(), "2144000001");
  auto entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].entry.outcome, "failure");
  EXPECT_EQ(Json::parse(entries[0].entry.details)["notFound"], 1);
}

TEST_P(NextStageRoutesTest, AnotherSchoolsRegistrarIsRefused) {
  const std::string primary = TokenFor("primary.school", "school_registrar", "2144000001");
  EXPECT_EQ(Enrol(Body("张小明"), primary).status, 403);
  EXPECT_EQ(SchoolOfStudent(), "2144000001");
}

TEST_P(NextStageRoutesTest, TheBodyMustHoldAListOfRows) {
  for (const std::string& body : {
           std::string(R"({"toSchool": "3144000001", "grade": "7"})"),
           std::string(R"({"toSchool": "3144000001", "grade": "7", "students": "all"})"),
           std::string(R"({"toSchool": "3144000001", "grade": "7", "students": [1]})"),
       }) {
    http::Response r = Enrol(body, junior_);
    ASSERT_EQ(r.status, 422) << body << ": " << r.body;
    EXPECT_EQ(Json::parse(r.body)["error"]["fields"][0]["field"], "students") << body;
  }
  Json many = {{"toSchool", "3144000001"}, {"grade", "7"}, {"students", Json::array()}};
  for (int i = 0; i < 2001; ++i)
    many["students"].push_back({{"studentNumber", "G1"}, {"name", "某"}, {"class", "1"}});
  http::Response r = Enrol(many.dump(), junior_);
  ASSERT_EQ(r.status, 422);
  EXPECT_EQ(Json::parse(r.body)["error"]["fields"][0]["code"], "too_many");
  EXPECT_EQ(Enrol("not json", junior_).status, 400);
  EXPECT_TRUE(Entries().empty()) << "nothing was asked of the store";
}

NEMIS_STORE_TEST_SUITE(NextStageRoutesTest);

}  // namespace
}  // namespace nemis::api
