// The route x role x scope matrix, generated from the router's route table so that
// a new route is covered without anyone remembering to: every non-public route
// refuses a caller without credentials (401) and one without its permission (403),
// and a registry officer of a sibling county neither sees nor changes anything of
// another county's school (404/422, no row written, nothing of it in the answer).
#include <gtest/gtest.h>

#include <fstream>

#include "api/api_testing.hpp"
#include "codes/id_number.hpp"
#include "db/change_log.hpp"
#include "identity/permissions.hpp"
#include "identity/principal.hpp"
#include "importer/student_import.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kTianheSchool = "2144000001";  // 天河区 (440106)
constexpr std::string_view kLiwanSchool = "2144000002";   // 荔湾区 (440103), a sibling county
constexpr std::string_view kMarkerStudent = "甲天河";     // names that must not leak to the sibling
constexpr std::string_view kMarkerSchool = "天河区第一小学";

std::string IdFor(const std::string& first17) { return first17 + codes::IdCheckCharacter(first17); }

class AccessMatrixTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool(kTianheSchool, "440106", kMarkerSchool);
    AddSchool(kLiwanSchool, "440103", "荔湾区第一小学");
    ImportTwoStudents();
    AddAllRoutes(router_, *ctx_);
    tianhe_ = TokenFor("tianhe", "county_registrar", "440106");
    // For each role that can be granted below the province: an account holding it in
    // the sibling county (or a school there), which must not reach 天河's records.
    for (const auto& spec : identity::BuiltinRoles()) {
      std::string where = spec.AllowsLevel(org::OrgLevel::kCounty)   ? "440103"
                          : spec.AllowsLevel(org::OrgLevel::kSchool) ? std::string(kLiwanSchool)
                                                                     : "";
      if (!where.empty())
        sibling_by_role_[std::string(spec.name)] =
            TokenFor("s." + std::string(spec.name), std::string(spec.name), where);
    }
    for (const auto& spec : identity::BuiltinRoles()) {
      std::string org = spec.AllowsLevel(org::OrgLevel::kProvince) ? "440000"
                        : spec.AllowsLevel(org::OrgLevel::kCounty) ? "440106"
                        : spec.AllowsLevel(org::OrgLevel::kSchool) ? std::string(kTianheSchool)
                        : spec.AllowsLevel(org::OrgLevel::kCity)   ? "440100"
                                                                   : "000000";
      by_role_[std::string(spec.name)] =
          TokenFor("r." + std::string(spec.name), std::string(spec.name), org);
    }
  }

  void ImportTwoStudents() {
    tianhe_id_ = IdFor("44010620190315001");
    std::string csv =
        "姓名,性别,出生日期,民族,身份证件号,学校标识码,年级,班号,入学年月,监护人1姓名,监护人1关系\n" +
        std::string(kMarkerStudent) + ",1,2019-03-15,01," + tianhe_id_ + "," +
        std::string(kTianheSchool) + ",1,01,2025-09,甲父,父亲\n乙荔湾,2,2019-03-15,01," +
        IdFor("44010320190315002") + "," + std::string(kLiwanSchool) + ",1,01,2025-09,乙父,父亲\n";
    std::string path = dir_.File("two.csv");
    std::ofstream(path, std::ios::binary) << csv;
    importer::ImportOptions options;
    options.threads = 1;
    ASSERT_EQ(importer::ImportStudents(db(), ctx_->cipher, path, options).imported_rows, 2u);
  }

  std::string TokenFor(const std::string& login, const std::string& role, const std::string& org) {
    auto created = ctx_->accounts.Create({login, login, org, "Abcdefgh1234", false, {{role, org}}});
    EXPECT_TRUE(created.ok()) << login << ": " << (created.ok() ? "" : created.error().message);
    auto token = ctx_->credentials.CreateApiToken(created.ok() ? created->id : 0, "matrix",
                                                  std::chrono::hours(0));
    return token.ok() ? *token : "";
  }

  int64_t Changes() {
    while (true) {  // as a reader of the change log does (db/change_log.hpp)
      auto sealed = db::SealChanges(db());
      if (!sealed.ok() || *sealed == 0) break;
    }
    auto n = db().Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT COUNT(*) FROM change_log"));
      return rs.rows.at(0).Int(0);
    });
    return n.ok() ? *n : -1;
  }

  // A request for `route` aimed at the 天河 school and its student, with a body a
  // write would accept from someone allowed to make it.
  http::Request RequestFor(const http::Route& route, const std::string& token) {
    http::Request r;
    r.method = route.method;
    std::string path = route.pattern;
    auto fill = [&](std::string_view name, std::string_view value) {
      if (auto at = path.find(name); at != std::string::npos) path.replace(at, name.size(), value);
    };
    fill("{code}", kTianheSchool);
    fill("{studentNumber}", "G" + tianhe_id_);
    fill("{id}", "01900000-0000-7000-8000-000000000000");
    fill("{login}", "tianhe");
    fill("{org}", kTianheSchool);
    fill("{year}", "2026");
    r.path = r.target = path;
    r.remote_address = "127.0.0.1";
    r.request_id = "matrix";
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("If-Match", "\"v1\"");
    if (route.pattern == "/api/v1/orgs")
      r.body =
          R"({"code":"2144000003","parentCode":"440106","name":"天河区第三小学","schoolType":"211"})";
    else if (route.pattern == "/api/v1/orgs/{code}")
      r.body = R"({"name":"天河区第一小学（新）"})";
    else if (route.pattern == "/api/v1/students")
      r.body =
          R"({"name":"丙天河","gender":"2","birthDate":"2019-03-15","ethnicity":"01","idNumber":")" +
          IdFor("44010620190315004") +
          R"(","schoolCode":"2144000001","grade":1,"classNo":"01",)"
          R"("entryDate":"2025-09","guardian1Name":"丙父","guardian1Relation":"1"})";
    else if (route.pattern == "/api/v1/students/{studentNumber}")
      r.body = R"({"classNo":"02"})";
    else if (route.pattern == "/api/v1/students/{studentNumber}/corrections")
      // A complete request: whoever may not see the student is told "not found", not what
      // the request lacks.
      r.body = R"({"name":"丙更正","reason":"户籍登记姓名不同","document":"户籍证明1号"})";
    else
      r.body = "{}";
    return r;
  }

  http::Response Call(const http::Route& route, const std::string& token) {
    http::Request r = RequestFor(route, token);
    auto match = router_.Find(r.method, r.path);
    EXPECT_EQ(match.route, &route) << r.method << " " << r.path;
    r.path_params = match.params;
    r.route = route.pattern;
    return route.handler(r);
  }

  // An account in the sibling county whose role holds `permission`; "" when only a
  // province or the national root can hold it (then no grant excludes 天河).
  std::string SiblingWith(std::string_view permission) {
    for (const auto& spec : identity::BuiltinRoles()) {
      auto it = sibling_by_role_.find(std::string(spec.name));
      if (it != sibling_by_role_.end() &&
          std::find(spec.permissions.begin(), spec.permissions.end(), permission) !=
              spec.permissions.end())
        return it->second;
    }
    return "";
  }

  // An account whose roles lack `permission`.
  std::string TokenWithout(std::string_view permission) {
    for (const auto& spec : identity::BuiltinRoles())
      if (std::find(spec.permissions.begin(), spec.permissions.end(), permission) ==
          spec.permissions.end())
        return by_role_.at(std::string(spec.name));
    return "";
  }

  static std::string Describe(const http::Route& route, const http::Response& r) {
    return route.method + " " + route.pattern + " -> " + std::to_string(r.status) + " " +
           r.body.substr(0, 300);
  }

  nemis::testing::TempDir dir_;
  std::string tianhe_id_, tianhe_;
  std::map<std::string, std::string> by_role_, sibling_by_role_;
};

TEST_P(AccessMatrixTest, EveryRouteDeclaresWhoMayCallIt) {
  ASSERT_GT(router_.routes().size(), 15u);
  for (const auto& route : router_.routes()) {
    bool known = route.options.access == "public" || route.options.access == "signed_in";
    for (auto p : identity::perm::All()) known |= route.options.access == p;
    EXPECT_TRUE(known) << route.method << " " << route.pattern << " has access \""
                       << route.options.access << "\"";
  }
}

TEST_P(AccessMatrixTest, EveryNonPublicRouteRefusesCallersWithoutCredentials) {
  for (const auto& route : router_.routes()) {
    if (route.options.access == "public") continue;
    int64_t before = Changes();
    http::Response r = Call(route, "");
    EXPECT_EQ(r.status, 401) << Describe(route, r);
    EXPECT_NE(r.body.find("\"unauthenticated\""), std::string::npos) << Describe(route, r);
    EXPECT_EQ(Changes(), before) << Describe(route, r);
    r = Call(route, "nemis_" + std::string(43, 'x'));
    EXPECT_EQ(r.status, 401) << Describe(route, r);
  }
}

TEST_P(AccessMatrixTest, EveryRouteRefusesCallersWithoutItsPermission) {
  for (const auto& route : router_.routes()) {
    const std::string& access = route.options.access;
    if (access == "public" || access == "signed_in") continue;
    std::string token = TokenWithout(access);
    ASSERT_FALSE(token.empty()) << "every built-in role holds " << access;
    int64_t before = Changes();
    http::Response r = Call(route, token);
    EXPECT_EQ(r.status, 403) << Describe(route, r);
    EXPECT_NE(r.body.find("\"forbidden\""), std::string::npos) << Describe(route, r);
    EXPECT_EQ(Changes(), before) << Describe(route, r);
  }
}

TEST_P(AccessMatrixTest, ASiblingCountyNeitherSeesNorChangesAnotherCountysRecords) {
  int covered = 0;
  for (const auto& route : router_.routes()) {
    if (route.options.access == "public" || route.options.access == "signed_in") continue;
    std::string sibling = SiblingWith(route.options.access);
    if (sibling.empty()) continue;  // e.g. account.administer: province or national only
    ++covered;
    int64_t before = Changes();
    http::Response r = Call(route, sibling);
    EXPECT_EQ(Changes(), before) << Describe(route, r);
    EXPECT_EQ(r.body.find(kMarkerStudent), std::string::npos) << Describe(route, r);
    EXPECT_EQ(r.body.find(kMarkerSchool), std::string::npos) << Describe(route, r);
    if (route.pattern.find('{') != std::string::npos || route.method != "GET") {
      EXPECT_TRUE(r.status == 404 || r.status == 422 || r.status == 503) << Describe(route, r);
    }
  }
  EXPECT_GE(covered, 13) << "the registry, institution, statistics and import routes";
}

TEST_P(AccessMatrixTest, TheOwningCountySeesAndChangesItsRecords) {
  // The control for the tests above: the same requests succeed for the right caller.
  auto find = [&](std::string_view method, std::string_view pattern) -> const http::Route& {
    for (const auto& route : router_.routes())
      if (route.method == method && route.pattern == pattern) return route;
    throw std::runtime_error("no route " + std::string(pattern));
  };
  http::Response org = Call(find("GET", "/api/v1/orgs/{code}"), tianhe_);
  EXPECT_EQ(org.status, 200) << org.body;
  EXPECT_NE(org.body.find(kMarkerSchool), std::string::npos);
  http::Response student = Call(find("GET", "/api/v1/students/{studentNumber}"), tianhe_);
  EXPECT_EQ(student.status, 200) << student.body;
  EXPECT_NE(student.body.find(kMarkerStudent), std::string::npos);
  int64_t before = Changes();
  EXPECT_EQ(Call(find("POST", "/api/v1/students"), tianhe_).status, 201);
  EXPECT_EQ(Call(find("PATCH", "/api/v1/students/{studentNumber}"), tianhe_).status, 200);
  EXPECT_EQ(Call(find("POST", "/api/v1/orgs"), tianhe_).status, 201);
  EXPECT_EQ(Changes(), before + 3);
  EXPECT_EQ(Call(find("POST", "/api/v1/students/{studentNumber}/corrections"), tianhe_).status,
            202);
  EXPECT_EQ(Call(find("GET", "/api/v1/students/{studentNumber}/corrections"), tianhe_).status, 200);
}

}  // namespace
NEMIS_STORE_TEST_SUITE(AccessMatrixTest);
}  // namespace nemis::api
