// POST /api/v1/class-assignments over HTTP: a school's registrar previews and then sets the
// classes of its students (counted per school, audited with the counts only); a student of
// another school is not found and nothing is written; a school head, who may not update
// students, is refused; a malformed body names its field.
#include <gtest/gtest.h>

#include <fstream>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "audit/audit_query.hpp"
#include "codes/id_number.hpp"
#include "importer/student_import.hpp"
#include "registry/personal_record.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

class ClassAssignmentRoutesTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool("2144000001", "440106", "天河区第一小学");
    AddSchool("2144000003", "440103", "荔湾区第一小学");
    std::string csv =
        "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n";
    const char* schools[] = {"2144000001", "2144000001", "2144000003"};
    for (int i = 0; i < 3; ++i) {
      const std::string first17 = "44010620190315" + std::to_string(101 + 2 * i);
      const std::string id = first17 + codes::IdCheckCharacter(first17);
      numbers_.push_back("G" + id);
      csv += "李" +
             std::string(i == 0   ? "一"
                         : i == 1 ? "二"
                                  : "三") +
             ",1,2019-03-15,01," + id + "," + schools[i] + ",1,01,2025-09,家长,父亲\n";
    }
    std::string path = dir_.File("roster.csv");
    std::ofstream(path, std::ios::binary) << csv;
    importer::ImportOptions options;
    options.threads = 1;
    ASSERT_EQ(importer::ImportStudents(db(), ctx_->cipher, path, options).imported_rows, 3u);
    AddAllRoutes(router_, *ctx_);
    registrar_ = TokenFor("tianhe1.school", "school_registrar", "2144000001");
    head_ = TokenFor("tianhe1.head", "school_head", "2144000001");
  }

  http::Response Assign(const Json& body, const std::string& token) {
    return Call("POST", "/api/v1/class-assignments", body.dump(),
                {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  }
  Json List(std::initializer_list<std::pair<int, const char*>> rows, bool dry_run) {
    Json students = Json::array();
    for (const auto& [i, klass] : rows)
      students.push_back({{"studentNumber", numbers_[static_cast<size_t>(i)]}, {"class", klass}});
    return {{"students", students}, {"dryRun", dry_run}};
  }
  std::string ClassOf(int i) {
    const std::string index = registry::NumberIndex(ctx_->cipher, numbers_[static_cast<size_t>(i)]);
    auto c = db().Read<std::string>([&](db::Connection& conn) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(
          auto rs, conn.Query("SELECT class_no FROM student WHERE number_index = $1", {index}));
      return rs.rows.at(0).Text(0);
    });
    return c.ok() ? *c : "";
  }

  nemis::testing::TempDir dir_;
  std::vector<std::string> numbers_;
  std::string registrar_, head_;
};

TEST_P(ClassAssignmentRoutesTest, TheSchoolPreviewsThenSetsItsClasses) {
  http::Response dry = Assign(List({{0, "03"}, {1, "01"}}, true), registrar_);
  ASSERT_EQ(dry.status, 200) << dry.body;
  const Json preview = Json::parse(dry.body);
  EXPECT_EQ(preview["dryRun"], true);
  EXPECT_EQ(preview["total"]["assigned"], 1);
  EXPECT_EQ(preview["total"]["unchanged"], 1);
  ASSERT_EQ(preview["schools"].size(), 1u);
  EXPECT_EQ(preview["schools"][0]["school"], "2144000001");
  EXPECT_EQ(preview["schools"][0]["assigned"], 1);
  EXPECT_EQ(preview["schools"][0]["unchanged"], 1);
  EXPECT_EQ(ClassOf(0), "01");

  http::Response done = Assign(List({{0, "03"}, {1, "01"}}, false), registrar_);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Json::parse(done.body)["total"]["assigned"], 1);
  EXPECT_EQ(ClassOf(0), "03");
  audit::AuditFilter filter;
  filter.action = "student.class_assign";
  auto page = audit::Query(db(), filter);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->records.size(), 1u) << "the dry run is not audited";
  EXPECT_EQ(page->records[0].entry.details, R"({"rows":2,"assigned":1})");
  EXPECT_EQ(page->records[0].entry.details.find(numbers_[0]), std::string::npos);
}

TEST_P(ClassAssignmentRoutesTest, AnotherSchoolsStudentIsNotFoundAndNothingIsWritten) {
  http::Response r = Assign(List({{0, "03"}, {2, "02"}}, false), registrar_);
  ASSERT_EQ(r.status, 422) << r.body;
  const Json error = Json::parse(r.body)["error"];
  EXPECT_EQ(error["code"], "validation_failed");
  ASSERT_EQ(error["fields"].size(), 1u);
  EXPECT_EQ(error["fields"][0]["field"], "students[1].studentNumber");
  EXPECT_EQ(error["fields"][0]["code"], "not_found");
  EXPECT_EQ(ClassOf(0), "01");
}

TEST_P(ClassAssignmentRoutesTest, AHeadIsRefusedAndABadBodyNamesItsField) {
  EXPECT_EQ(Assign(List({{0, "03"}}, false), head_).status, 403);
  http::Response no_list = Assign(Json{{"dryRun", true}}, registrar_);
  EXPECT_EQ(no_list.status, 422);
  EXPECT_EQ(Json::parse(no_list.body)["error"]["fields"][0]["field"], "students");
  http::Response bad_flag =
      Assign(Json{{"students", Json::array()}, {"dryRun", "yes"}}, registrar_);
  EXPECT_EQ(bad_flag.status, 422);
  EXPECT_EQ(Json::parse(bad_flag.body)["error"]["fields"][0]["field"], "dryRun");
  http::Response bad_row = Assign(Json{{"students", Json::array({"G1"})}}, registrar_);
  EXPECT_EQ(bad_row.status, 422);
  EXPECT_EQ(Json::parse(bad_row.body)["error"]["fields"][0]["code"], "bad_type");
  EXPECT_EQ(ClassOf(0), "01");
}

}  // namespace

NEMIS_STORE_TEST_SUITE(ClassAssignmentRoutesTest);

}  // namespace nemis::api
