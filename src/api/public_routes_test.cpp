// The public API (/api/v1/public) through the real routes, on both stores, over a small
// seeded province: 广州市 天河区 with a primary school of 10 girls, a junior school without
// students and a closed school; 荔湾区 with a primary school of 9 boys; 深圳市 福田区 with a
// primary school of 150. What it shows (regions, the directory, one school, statistics),
// that it never shows a person, where small counts are withheld (9 vs 10), how it refuses
// bad parameters, pages, caches and rate-limits.
#include "api/public_routes.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "api/api_json.hpp"
#include "api/api_testing.hpp"
#include "codes/id_number.hpp"
#include "db/database.hpp"
#include "registry/student_bulk.hpp"

namespace nemis::api {
namespace {

constexpr std::string_view kTianhePrimary = "2144000001";  // 天河区 (440106): 10 girls
constexpr std::string_view kLiwanPrimary = "2144000002";   // 荔湾区 (440103): 9 boys
constexpr std::string_view kFutianPrimary = "2144000005";  // 福田区 (440304): 150
constexpr std::string_view kTianheJunior = "3144000003";   // 天河区: no students
constexpr std::string_view kTianheClosed = "2144000004";   // 天河区: closed

std::optional<std::string> HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& [key, value] : r.headers)
    if (http::EqualsIgnoreCase(key, name)) return value;
  return std::nullopt;
}

Json Body(const http::Response& r) { return Json::parse(r.body, nullptr, false); }

class PublicRoutesTest : public ApiStoreTest {
 protected:
  void SetUp() override {
    ApiStoreTest::SetUp();
    AddSchool(kTianhePrimary, "440106", "天河区第一小学", "211", true);
    AddSchool(kLiwanPrimary, "440103", "荔湾区第一小学", "211", true);
    AddSchool(kTianheJunior, "440106", "天河区第一中学", "311", true);
    AddSchool(kTianheClosed, "440106", "天河区旧小学", "211", false);
    AddSchool(kFutianPrimary, "440304", "福田区实验小学", "211", true);
    AddStudents(kTianhePrimary, 10, 2, 0);
    AddStudents(kLiwanPrimary, 9, 1, 10);
    AddStudents(kFutianPrimary, 150, 0, 19);
    AddStudents(kTianhePrimary, 3, 2, 169, "07");  // graduated: not counted
  }

  // The routes, built after the settings a test changed.
  void Route(const std::map<std::string, std::string>& settings = {}) {
    for (const auto& [key, value] : settings) ASSERT_TRUE(config_.Set(key, value, "test").ok());
    AddAllRoutes(router_, *ctx_);
  }

  void AddSchool(std::string_view code, std::string_view county, std::string_view name,
                 std::string_view type, bool open) {
    org::InstitutionInput in;
    in.code = std::string(code);
    in.parent_code = std::string(county);
    in.name = std::string(name);
    in.school_type = std::string(type);
    in.sponsor = "11";
    in.address = std::string(name) + "路 1 号";
    in.longitude = 113.32;
    in.latitude = 23.13;
    in.open = open;
    auto made = ctx_->orgs.Create(org::Scope::Everything(), in);
    ASSERT_TRUE(made.ok()) << made.error().message;
  }

  // `n` students at `school`: gender 1 or 2, or 0 for half and half; numbered from `first`
  // so that names and ID numbers are unique. Kept to check no answer shows them.
  void AddStudents(std::string_view school_code, int n, int gender, int first,
                   const std::string& status = "01") {
    auto school = ctx_->orgs.Get(org::Scope::Everything(), school_code);
    ASSERT_TRUE(school.ok());
    static const char* kSurnames[] = {"欧阳", "司马", "诸葛", "上官", "东方"};
    static const char* kGiven[] = {"雨桐", "子涵", "浩然", "思远", "梓萱", "欣怡", "俊杰"};
    std::vector<registry::Student> students(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      const int k = first + i;
      registry::Student& s = students[static_cast<size_t>(i)];
      s.gender = gender != 0 ? gender : 1 + i % 2;
      char seq[8];
      std::snprintf(seq, sizeof seq, "%03d", (2 * k + (s.gender == 1 ? 1 : 0)) % 1000);
      std::string first17 = "44010620180" + std::to_string(1 + k / 400) + "15" + seq;
      first17 = first17.substr(0, 17);
      s.id_type = "1";
      s.id_number = first17 + codes::IdCheckCharacter(first17);
      s.name = std::string(kSurnames[k % 5]) + kGiven[(k / 5) % 7] + std::to_string(k);
      s.birth_date = "2018-0" + std::to_string(1 + k / 400) + "-15";
      s.ethnicity = "01";
      s.guardian1.name = s.name + "之母";
      s.guardian1.relation = "2";
      s.guardian1.phone = "1380013" + std::to_string(1000 + k);
      s.enrolment = {school->id,
                     school->code,
                     *school->province_code,
                     school->city_code,
                     school->county_code,
                     "primary",
                     1,
                     "01",
                     "2024-09",
                     status};
      names_.push_back(s.name);
      ids_.push_back(*s.id_number);
    }
    std::vector<registry::Student*> batch;
    batch.reserve(students.size());
    for (auto& s : students) batch.push_back(&s);
    ASSERT_TRUE(db().WithWriter([&](db::Connection& c) {
                      return registry::InsertStudents(c, ctx_->cipher, batch, 0,
                                                      "2026-01-01T00:00:00.000Z");
                    })
                    .ok());
    for (auto& s : students) numbers_.push_back(s.student_number);
  }

  // A public GET; its body is kept to check no person shows anywhere.
  http::Response Get(const std::string& target, const std::string& address = "10.0.0.9",
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Response r = Call("GET", target, "", std::move(headers), address);
    bodies_.push_back(r.body);
    return r;
  }

  Json Ok(const std::string& target) {
    http::Response r = Get(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "public, max-age=300") << target;
    return Body(r);
  }

  // The error of a refused request, checked for its status, code and field.
  Json Refused(const std::string& target, int status, const std::string& code,
               const std::string& field) {
    http::Response r = Get(target);
    EXPECT_EQ(r.status, status) << target << ": " << r.body;
    Json e = Body(r)["error"];
    EXPECT_EQ(e["code"], code) << target;
    EXPECT_NE(e["message"].get<std::string>().find(field), std::string::npos) << e.dump();
    if (!field.empty()) {
      EXPECT_EQ(e["fields"][0]["field"], field) << e.dump();
    }
    EXPECT_FALSE(HeaderOf(r, "Cache-Control").has_value()) << "errors are not for caches";
    return e;
  }

  std::vector<std::string> names_, ids_, numbers_, bodies_;
};

std::vector<std::string> Codes(const Json& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i["code"].get<std::string>());
  return out;
}

TEST_P(PublicRoutesTest, RegionsGoFromTheNodesProvinceDownToCounties) {
  Route();
  Json top = Ok("/api/v1/public/regions");
  EXPECT_TRUE(top["parent"].is_null());
  ASSERT_EQ(top["items"].size(), 1u);
  EXPECT_EQ(
      top["items"][0],
      Json({{"code", "440000"}, {"name", "广东省"}, {"level", "province"}, {"hasChildren", true}}));
  Json cities = Ok("/api/v1/public/regions?parent=440000");
  EXPECT_EQ(cities["parent"],
            Json({{"code", "440000"}, {"name", "广东省"}, {"level", "province"}}));
  auto city_codes = Codes(cities["items"]);
  EXPECT_NE(std::find(city_codes.begin(), city_codes.end(), "440100"), city_codes.end());
  EXPECT_NE(std::find(city_codes.begin(), city_codes.end(), "440300"), city_codes.end());
  Json counties = Ok("/api/v1/public/regions?parent=440100");
  bool tianhe = false;
  for (const auto& c : counties["items"]) {
    EXPECT_EQ(c["level"], "county") << c.dump();
    EXPECT_EQ(c["hasChildren"], false) << "schools are not regions";
    if (c["code"] == "440106") tianhe = c["name"] == "天河区";
  }
  EXPECT_TRUE(tianhe) << counties.dump();
  EXPECT_TRUE(Ok("/api/v1/public/regions?parent=440106")["items"].empty());

  Refused("/api/v1/public/regions?parent=449999", 404, "unknown_region", "parent");
  Refused("/api/v1/public/regions?parent=4401", 400, "bad_parameter", "parent");
  Refused("/api/v1/public/regions?parent=" + std::string(kTianhePrimary), 400, "bad_parameter",
          "parent");
}

TEST_P(PublicRoutesTest, TheDirectoryListsOpenSchoolsWithTheirPublicFacts) {
  Route();
  Json tianhe = Ok("/api/v1/public/schools?region=440106");
  EXPECT_EQ(Codes(tianhe["items"]),
            (std::vector<std::string>{std::string(kTianhePrimary), std::string(kTianheJunior)}))
      << "the closed school is not listed";
  EXPECT_TRUE(tianhe["next"].is_null());
  EXPECT_EQ(tianhe["items"][0], Json({{"code", kTianhePrimary},
                                      {"name", "天河区第一小学"},
                                      {"category", {{"code", "21"}, {"label", "小学"}}},
                                      {"schoolType", {{"code", "211"}, {"label", "小学"}}},
                                      {"sponsor", {{"code", "11"}, {"label", "教育部门"}}},
                                      {"address", "天河区第一小学路 1 号"},
                                      {"location", {{"longitude", 113.32}, {"latitude", 23.13}}},
                                      {"region",
                                       {{"province", {{"code", "440000"}, {"name", "广东省"}}},
                                        {"city", {{"code", "440100"}, {"name", "广州市"}}},
                                        {"county", {{"code", "440106"}, {"name", "天河区"}}}}}}));
  EXPECT_EQ(Codes(Ok("/api/v1/public/schools?region=440100")["items"]),
            (std::vector<std::string>{std::string(kTianhePrimary), std::string(kLiwanPrimary),
                                      std::string(kTianheJunior)}));
  EXPECT_EQ(Codes(Ok("/api/v1/public/schools?category=31")["items"]),
            std::vector<std::string>{std::string(kTianheJunior)});
  EXPECT_EQ(Codes(Ok("/api/v1/public/schools?q=%E5%AE%9E%E9%AA%8C")["items"]),  // 实验
            std::vector<std::string>{std::string(kFutianPrimary)});
  EXPECT_EQ(Codes(Ok("/api/v1/public/schools?region=440103&q=%E7%AC%AC%E4%B8%80")["items"]),
            std::vector<std::string>{std::string(kLiwanPrimary)});  // 第一 in 荔湾区
  EXPECT_EQ(Codes(Ok("/api/v1/public/schools?q=31440")["items"]),
            std::vector<std::string>{std::string(kTianheJunior)})
      << "digits search the code";
  EXPECT_TRUE(Ok("/api/v1/public/schools?region=440304&category=31")["items"].empty());
}

TEST_P(PublicRoutesTest, TheDirectoryPagesByCursor) {
  Route();
  Json first = Ok("/api/v1/public/schools?limit=2");
  EXPECT_EQ(Codes(first["items"]),
            (std::vector<std::string>{std::string(kTianhePrimary), std::string(kLiwanPrimary)}));
  ASSERT_EQ(first["next"], std::string(kLiwanPrimary));
  Json second = Ok("/api/v1/public/schools?limit=2&after=" + first["next"].get<std::string>());
  EXPECT_EQ(Codes(second["items"]),
            (std::vector<std::string>{std::string(kFutianPrimary), std::string(kTianheJunior)}));
  EXPECT_TRUE(second["next"].is_null());
  Json one = Ok("/api/v1/public/schools?limit=1&after=" + std::string(kFutianPrimary));
  EXPECT_EQ(Codes(one["items"]), std::vector<std::string>{std::string(kTianheJunior)});
  EXPECT_TRUE(one["next"].is_null()) << "the last page has no next";
}

TEST_P(PublicRoutesTest, BadDirectoryParametersAreNamed) {
  Route();
  Refused("/api/v1/public/schools?limit=0", 400, "bad_parameter", "limit");
  Refused("/api/v1/public/schools?limit=101", 400, "bad_parameter", "limit");
  Refused("/api/v1/public/schools?limit=ten", 400, "bad_parameter", "limit");
  Refused("/api/v1/public/schools?region=449999", 404, "unknown_region", "region");
  Refused("/api/v1/public/schools?region=44", 400, "bad_parameter", "region");
  Refused("/api/v1/public/schools?category=99", 400, "bad_parameter", "category");
  Refused("/api/v1/public/schools?after=zzz", 400, "bad_parameter", "after");
  Refused("/api/v1/public/schools?q=" + std::string(51, 'x'), 400, "bad_parameter", "q");
  Json e = Refused("/api/v1/public/schools?region=449999", 404, "unknown_region", "region");
  EXPECT_EQ(e["message"], "参数 region：行政区划 449999 不存在");
}

TEST_P(PublicRoutesTest, ASchoolShowsStagesAndAStudentBandNeverACount) {
  Route();
  Json tianhe = Ok("/api/v1/public/schools/" + std::string(kTianhePrimary));
  EXPECT_EQ(tianhe["name"], "天河区第一小学");
  EXPECT_EQ(tianhe["stages"], Json::parse(R"([{"code":"primary","label":"小学"}])"));
  EXPECT_EQ(tianhe["studentBand"], Json({{"label", "<100"}, {"min", 0}, {"max", 99}}));
  EXPECT_EQ(tianhe.dump().find("\"count\""), std::string::npos);
  Json futian = Ok("/api/v1/public/schools/" + std::string(kFutianPrimary));
  EXPECT_EQ(futian["studentBand"], Json({{"label", "100–499"}, {"min", 100}, {"max", 499}}));
  Json junior = Ok("/api/v1/public/schools/" + std::string(kTianheJunior));
  EXPECT_EQ(junior["stages"], Json::parse(R"([{"code":"junior","label":"初中"}])"));
  EXPECT_EQ(junior["studentBand"]["label"], "<100");
  EXPECT_EQ(junior["region"]["county"]["name"], "天河区");

  for (const std::string& code : {std::string(kTianheClosed), std::string("2144009999"),
                                  std::string("440106"), std::string("abc")}) {
    http::Response r = Get("/api/v1/public/schools/" + code);
    EXPECT_EQ(r.status, 404) << code << ": " << r.body;
    EXPECT_EQ(Body(r)["error"]["message"], "学校 " + code + " 不存在或已撤销");
  }
}

// Exact figures (no rounding, any number of schools), to see the cells withheld.
TEST_P(PublicRoutesTest, StatisticsWithholdCountsBelowTheThreshold) {
  Route({{"public.stats_round_to", "1"}, {"public.stats_min_schools", "1"}});
  // 天河区: 10 girls, at the threshold: shown.
  Json tianhe = Ok("/api/v1/public/stats?region=440106");
  EXPECT_EQ(tianhe["region"], Json({{"code", "440106"}, {"name", "天河区"}, {"level", "county"}}));
  EXPECT_EQ(tianhe["minCell"], 10);
  EXPECT_EQ(tianhe["students"], Json::parse(R"({
      "total": {"count": 10, "suppressed": false},
      "fewSchools": false,
      "byStage": [{"code": "primary", "label": "小学", "count": 10, "suppressed": false}],
      "byGender": [{"code": "2", "label": "女", "count": 10, "suppressed": false}]})"));
  EXPECT_EQ(tianhe["schools"], Json::parse(R"({"total": 2, "byCategory": [
      {"code": "21", "label": "小学", "count": 1}, {"code": "31", "label": "普通初中", "count": 1}]})"));
  // 荔湾区: 9 boys, one below: nothing shown.
  Json liwan = Ok("/api/v1/public/stats?region=440103");
  EXPECT_EQ(liwan["students"], Json::parse(R"({
      "total": {"count": null, "suppressed": true},
      "fewSchools": false,
      "byStage": [{"code": "primary", "label": "小学", "count": null, "suppressed": true}],
      "byGender": [{"code": "1", "label": "男", "count": null, "suppressed": true}]})"));
  EXPECT_EQ(liwan["schools"]["total"], 1) << "schools are not people: never withheld";
  // 广州市: 10 girls and 9 boys: the boys are withheld, so are the girls (19 - 10 = 9).
  Json guangzhou = Ok("/api/v1/public/stats?region=440100");
  EXPECT_EQ(guangzhou["students"], Json::parse(R"({
      "total": {"count": 19, "suppressed": false},
      "fewSchools": false,
      "byStage": [{"code": "primary", "label": "小学", "count": 19, "suppressed": false}],
      "byGender": [{"code": "1", "label": "男", "count": null, "suppressed": true},
                   {"code": "2", "label": "女", "count": null, "suppressed": true}]})"));
  // The node's province by default; the graduated students are not counted.
  Json province = Ok("/api/v1/public/stats");
  EXPECT_EQ(province["region"]["code"], "440000");
  EXPECT_EQ(province["students"]["total"]["count"], 169);
  EXPECT_EQ(province["students"]["byGender"], Json::parse(R"([
      {"code": "1", "label": "男", "count": 84, "suppressed": false},
      {"code": "2", "label": "女", "count": 85, "suppressed": false}])"));
  EXPECT_EQ(province["schools"]["total"], 4) << "the closed school is not counted";

  Refused("/api/v1/public/stats?region=449999", 404, "unknown_region", "region");
  Refused("/api/v1/public/stats?region=" + std::string(kTianhePrimary), 400, "bad_parameter",
          "region");
}

// By default: no student figures for a region of fewer than 3 open schools, the rest
// rounded to 5.
TEST_P(PublicRoutesTest, ByDefaultFewSchoolsShowNoStudentsAndCountsAreRounded) {
  Route();
  Json tianhe = Ok("/api/v1/public/stats?region=440106");  // 2 open schools, 10 girls
  EXPECT_EQ(tianhe["minSchools"], 3);
  EXPECT_EQ(tianhe["roundedTo"], 5);
  EXPECT_EQ(tianhe["students"], Json::parse(R"({
      "total": {"count": null, "suppressed": true},
      "fewSchools": true,
      "byStage": [{"code": "primary", "label": "小学", "count": null, "suppressed": true}],
      "byGender": [{"code": "2", "label": "女", "count": null, "suppressed": true}]})"));
  EXPECT_EQ(tianhe["schools"]["total"], 2) << "schools are still counted";
  Json province = Ok("/api/v1/public/stats");  // 4 open schools: 84 boys, 85 girls
  EXPECT_EQ(province["students"]["fewSchools"], false);
  EXPECT_EQ(province["students"]["total"]["count"], 170);
  EXPECT_EQ(province["students"]["byGender"], Json::parse(R"([
      {"code": "1", "label": "男", "count": 85, "suppressed": false},
      {"code": "2", "label": "女", "count": 85, "suppressed": false}])"));
}

TEST_P(PublicRoutesTest, TheThresholdIsASetting) {
  Route({{"public.stats_min_cell", "9"},
         {"public.stats_min_schools", "1"},
         {"public.stats_round_to", "1"}});
  Json liwan = Ok("/api/v1/public/stats?region=440103");
  EXPECT_EQ(liwan["minCell"], 9);
  EXPECT_EQ(liwan["students"]["total"], Json({{"count", 9}, {"suppressed", false}}));
}

TEST_P(PublicRoutesTest, NoAnswerShowsAPerson) {
  Route();
  for (std::string target :
       {"/api/v1/public/regions", "/api/v1/public/regions?parent=440100", "/api/v1/public/schools",
        "/api/v1/public/schools?q=%E5%B0%8F%E5%AD%A6", "/api/v1/public/schools/2144000001",
        "/api/v1/public/schools/2144000002", "/api/v1/public/schools/2144000005",
        "/api/v1/public/stats", "/api/v1/public/stats?region=440106",
        "/api/v1/public/stats?region=440103", "/api/v1/public/stats?region=440304"})
    EXPECT_EQ(Get(target).status, 200) << target;
  ASSERT_EQ(names_.size(), 172u);
  for (const auto& body : bodies_) {
    for (const auto& name : names_) ASSERT_EQ(body.find(name), std::string::npos) << name;
    for (const auto& id : ids_) {
      ASSERT_EQ(body.find(id), std::string::npos) << id;
      ASSERT_EQ(body.find(id.substr(6, 8)), std::string::npos) << "a birth date: " << id;
    }
    for (const auto& number : numbers_) ASSERT_EQ(body.find(number), std::string::npos);
    ASSERT_EQ(body.find("1380013"), std::string::npos) << "a guardian's phone";
    ASSERT_EQ(body.find("之母"), std::string::npos) << "a guardian's name";
  }
}

TEST_P(PublicRoutesTest, TheSameQuestionGetsTheKeptAnswer) {
  Route();
  const std::string target = "/api/v1/public/schools?region=440106&limit=10";
  const std::string before = Get(target).body;
  AddSchool("2144000006", "440106", "天河区第二小学", "211", true);
  EXPECT_EQ(Get(target).body, before) << "kept for public.cache_seconds";
  EXPECT_NE(Get("/api/v1/public/schools?region=440106&limit=9").body, before)
      << "another question is asked anew";
  EXPECT_EQ(Get("/api/v1/public/schools?limit=10&region=440106").body, before)
      << "the parameters' order does not matter";
}

TEST_P(PublicRoutesTest, WithoutCachingAnswersAreFresh) {
  Route({{"public.cache_seconds", "0"}});
  const std::string target = "/api/v1/public/schools?region=440106";
  const std::string before = Get(target).body;
  AddSchool("2144000006", "440106", "天河区第二小学", "211", true);
  EXPECT_NE(Get(target).body, before);
  EXPECT_EQ(Codes(Body(Get(target))["items"]).size(), 3u);
}

TEST_P(PublicRoutesTest, AnAddressBeyondItsBurstGets429WithRetryAfter) {
  Route({{"public.burst", "3"}, {"public.rate_per_minute", "1"}});
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Get("/api/v1/public/regions", "203.0.113.7").status, 200) << i;
  http::Response r = Get("/api/v1/public/schools/2144000001", "203.0.113.7");
  ASSERT_EQ(r.status, 429) << r.body;
  auto retry = HeaderOf(r, "Retry-After");
  ASSERT_TRUE(retry.has_value());
  EXPECT_GE(std::stoi(*retry), 1);
  EXPECT_LE(std::stoi(*retry), 60) << "one token a minute";
  Json e = Body(r)["error"];
  EXPECT_EQ(e["code"], "rate_limited");
  EXPECT_EQ(e["message"], "请求过于频繁，请 " + *retry + " 秒后再试");
  EXPECT_FALSE(HeaderOf(r, "Cache-Control").has_value());
  EXPECT_EQ(Get("/api/v1/public/stats", "203.0.113.8").status, 200) << "another address";
}

TEST_P(PublicRoutesTest, BehindATrustedProxyTheForwardedAddressIsLimited) {
  Route({{"public.burst", "1"},
         {"public.rate_per_minute", "1"},
         {"public.trusted_proxies", "10.0.0.1"}});
  auto via_proxy = [&](const std::string& client) {
    return Get("/api/v1/public/regions", "10.0.0.1", {{"X-Forwarded-For", client}}).status;
  };
  EXPECT_EQ(via_proxy("198.51.100.1"), 200);
  EXPECT_EQ(via_proxy("198.51.100.2"), 200) << "another client behind the same proxy";
  EXPECT_EQ(via_proxy("198.51.100.1"), 429);
  EXPECT_EQ(via_proxy("6.6.6.6, 198.51.100.1"), 429) << "what the client claims is not read";
  EXPECT_EQ(Get("/api/v1/public/regions", "198.51.100.3", {{"X-Forwarded-For", "1.1.1.1"}}).status,
            200);
  EXPECT_EQ(Get("/api/v1/public/regions", "198.51.100.3", {{"X-Forwarded-For", "2.2.2.2"}}).status,
            429)
      << "an untrusted peer's header is ignored";
}

NEMIS_STORE_TEST_SUITE(PublicRoutesTest);

}  // namespace
}  // namespace nemis::api
