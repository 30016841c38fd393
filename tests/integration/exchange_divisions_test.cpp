// The division changes (行政区划变更) going down from the national node to the provinces, with
// three data centres running: the national node (000000) records them — through its API or
// with `nemis division record` beside the running node — and each province's `nemis serve`
// takes them at its next poll of the national node (GET /exchange/v1/divisions, signed, sealed,
// audited on the national node), laying them over its table and carrying them into its tree.
//
// What a province can do with a new county once it is told: the county is in its tree (a school
// can be opened under it) and a child whose citizen ID carries the new code is registered,
// refused before as an unknown region. Another province knows the code but has no institution
// for it. A county retired into another: its schools move there on the province's node, and the
// national node takes the move from the province's log (digests equal). A province cannot record
// a change itself (404 not_national).
//
// The nodes are support/three_nodes' (SQLite stores, each node a `nemis serve` child); nothing
// is asserted about how long a step takes.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "exchange_serve.hpp"
#include "exchange_store.hpp"
#include "http_client.hpp"
#include "test_data.hpp"
#include "three_nodes.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

// The day in China `ahead` from now, YYYY-MM-DD.
std::string DayInChina(std::chrono::hours ahead) {
  const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() +
                                                         std::chrono::hours(8) + ahead);
  const std::chrono::year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

// A child whose resident ID carries the new county's code.
const IdSource::Person kNewCountyChild{MakeIdNumber("440199", "20170315", 21), "2017-03-15", 1};

class ExchangeDivisionsTest : public ThreeNodesTest {
 protected:
  void SetUp() override {
    ThreeNodesTest::SetUp();
    never_logged_.push_back(kNewCountyChild.id_number);
  }

  // The changes a node lists (GET /api/v1/divisions/changes) as a reader sees them: the
  // province's registry officer, or a statistician of the ministry (org.view, not org.create).
  json Listed(Node& node) {
    if (&node == &national_ && reader_.empty())
      reader_ = TokenFor(national_, "stats.national", "statistician", "000000");
    const std::string token = &node == &national_ ? reader_ : Token(node, "province");
    HttpResponse r = node.serve->ClientWithToken(token).Get("/api/v1/divisions/changes");
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.status == 200 ? r.Json() : json::object();
  }

  HttpResponse RegisterNewCountyChild() {
    return guangdong_.serve->ClientWithToken(Token(guangdong_, "registrar"))
        .PostJson("/api/v1/students",
                  StudentBody(guangdong_.school, "陈新区", kNewCountyChild, 3, "2"));
  }

  std::string reader_;  // the ministry's statistician
};

TEST_F(ExchangeDivisionsTest, ADivisionTheNationalNodeRecordsReachesEachProvince) {
  Enrol();
  if (HasFatalFailure()) return;
  Seed();
  if (HasFatalFailure()) return;
  StartNodes();
  if (HasFatalFailure()) return;
  // Before: the new county's IDs are an unknown region in 广东.
  HttpResponse before = RegisterNewCountyChild();
  ASSERT_EQ(before.status, 422) << before.Describe();
  EXPECT_NE(before.body.find("unknown_region"), std::string::npos) << before.Describe();

  // Through the national node's API, by the ministry's registry office...
  const std::string ministry = TokenFor(national_, "ministry.org", "national_registrar", "000000");
  HttpClient national = national_.serve->ClientWithToken(ministry);
  HttpResponse recorded =
      national.PostJson("/api/v1/divisions/changes", {{"kind", "add"},
                                                      {"code", "440199"},
                                                      {"name", "测试新区"},
                                                      {"effectiveOn", "2026-12-01"},
                                                      {"reference", "国函〔2026〕1号"}});
  ASSERT_EQ(recorded.status, 201) << recorded.Describe();
  EXPECT_EQ(recorded.Json()["seq"], 1);
  HttpResponse refused =
      national.PostJson("/api/v1/divisions/changes", {{"kind", "add"},
                                                      {"code", "440199"},
                                                      {"name", "测试新区"},
                                                      {"effectiveOn", "2026-12-01"},
                                                      {"reference", "国函〔2026〕1号"}});
  ASSERT_EQ(refused.status, 422) << refused.Describe();
  EXPECT_EQ(refused.Json()["error"]["fields"][0]["code"], "exists") << refused.Describe();
  // ... and with the command line beside the running node.
  Ok({"division", "record", "--kind", "rename", "--code", "110101", "--name", "东城新区",
      "--effective", "2026-12-02", "--reference", "国函〔2026〕2号"},
     national_);
  ASSERT_TRUE(Eventually([&] { return Listed(national_)["items"].size() == 2; }))
      << Listed(national_).dump();
  EXPECT_TRUE(Listed(national_)["recordable"] == false);  // org.view only

  for (Node* p : {&guangdong_, &beijing_})
    ASSERT_TRUE(Eventually([&] { return Listed(*p)["items"].size() == 2; })) << p->name << Logs();
  const json newest = Listed(guangdong_)["items"][0];
  EXPECT_EQ(newest["seq"], 2);
  EXPECT_EQ(newest["kind"], "rename");
  EXPECT_EQ(newest["name"], "东城新区");
  EXPECT_EQ(newest["reference"], "国函〔2026〕2号");
  EXPECT_TRUE(Listed(guangdong_)["recordable"] == false);

  // 广东's tree has the county under 广州市, and its IDs are a region now.
  HttpResponse county =
      guangdong_.serve->ClientWithToken(Token(guangdong_, "province")).Get("/api/v1/orgs/440199");
  ASSERT_EQ(county.status, 200) << county.Describe();
  EXPECT_EQ(county.Json()["name"], "测试新区");
  EXPECT_EQ(county.Json()["parentCode"], "440100");
  HttpResponse school = guangdong_.serve->ClientWithToken(Token(guangdong_, "province"))
                            .PostJson("/api/v1/orgs", {{"code", "2144019901"},
                                                       {"parentCode", "440199"},
                                                       {"name", "测试新区第一小学"},
                                                       {"schoolType", "211"},
                                                       {"urbanRural", "111"}});
  EXPECT_EQ(school.status, 201) << school.Describe();
  HttpResponse after = RegisterNewCountyChild();
  EXPECT_EQ(after.status, 201) << after.Describe();
  EXPECT_EQ(QueryInt(guangdong_.url, "SELECT COUNT(*) FROM division_change"), 2);

  // 北京 renamed its 东城区; it holds no institution of 广东's new county.
  HttpResponse dongcheng =
      beijing_.serve->ClientWithToken(Token(beijing_, "province")).Get("/api/v1/orgs/110101");
  ASSERT_EQ(dongcheng.status, 200) << dongcheng.Describe();
  EXPECT_EQ(dongcheng.Json()["name"], "东城新区");
  EXPECT_EQ(QueryInt(beijing_.url, "SELECT COUNT(*) FROM org WHERE code = '440199'"), 0);

  // A province does not record changes: it receives them.
  HttpResponse own = guangdong_.serve->ClientWithToken(Token(guangdong_, "province"))
                         .PostJson("/api/v1/divisions/changes", {{"kind", "add"},
                                                                 {"code", "440198"},
                                                                 {"name", "某区"},
                                                                 {"effectiveOn", "2026-12-01"},
                                                                 {"reference", "x"}});
  EXPECT_EQ(own.status, 404) << own.Describe();
  EXPECT_NE(own.body.find("not_national"), std::string::npos) << own.Describe();

  // 撤县设区: the new county retired into 广东's school county; its school moves there on 广东's
  // node, and the national node takes the move from 广东's log.
  Ok({"division", "record", "--kind", "retire", "--code", "440199", "--successor",
      guangdong_.county, "--effective", "2026-12-03", "--reference", "国函〔2026〕3号"},
     national_);
  ASSERT_TRUE(Eventually([&] {
    return QueryText(guangdong_.url, "SELECT parent_code FROM org WHERE code = '2144019901'") ==
           guangdong_.county;
  })) << Logs();
  EXPECT_EQ(QueryText(guangdong_.url, "SELECT status FROM org WHERE code = '440199'"), "closed");
  ExpectPulledUpToNow(guangdong_);
  ExpectPulledUpToNow(beijing_);
  EXPECT_EQ(QueryText(national_.url, "SELECT parent_code FROM org WHERE code = '2144019901'"),
            guangdong_.county);
  ExpectAgreesWithNational(guangdong_, kRosterStudents + 1);
  ExpectAgreesWithNational(beijing_, kRosterStudents);

  // A change dated tomorrow: recorded and received now, in no tree or table until its day.
  const std::string tomorrow = DayInChina(std::chrono::hours(24));
  HttpResponse ahead =
      national.PostJson("/api/v1/divisions/changes", {{"kind", "add"},
                                                      {"code", "440198"},
                                                      {"name", "测试远期区"},
                                                      {"effectiveOn", tomorrow},
                                                      {"reference", "国函〔2026〕4号"}});
  ASSERT_EQ(ahead.status, 201) << ahead.Describe();
  EXPECT_TRUE(ahead.Json()["appliedAt"].is_null()) << ahead.Describe();
  HttpResponse earlier = national.PostJson("/api/v1/divisions/changes",
                                           {{"kind", "rename"},
                                            {"code", "110102"},
                                            {"name", "西城新区"},
                                            {"effectiveOn", DayInChina(std::chrono::hours(0))},
                                            {"reference", "国函〔2026〕5号"}});
  ASSERT_EQ(earlier.status, 422) << earlier.Describe();
  EXPECT_EQ(earlier.Json()["error"]["fields"][0]["code"], "before_scheduled");
  for (Node* p : {&guangdong_, &beijing_}) {
    ASSERT_TRUE(Eventually([&] { return Listed(*p)["items"].size() == 4; })) << p->name << Logs();
    EXPECT_TRUE(Listed(*p)["items"][0]["appliedAt"].is_null()) << Listed(*p).dump();
    EXPECT_FALSE(Listed(*p)["items"][1]["appliedAt"].is_null()) << Listed(*p).dump();
  }
  EXPECT_EQ(QueryInt(guangdong_.url, "SELECT COUNT(*) FROM org WHERE code = '440198'"), 0);
  EXPECT_EQ(QueryInt(national_.url, "SELECT COUNT(*) FROM org WHERE code = '440198'"), 0);

  ExpectCalledByBothProvinces("exchange.divisions");
  EXPECT_TRUE(HasGauge(guangdong_.serve->Metrics(), "nemis_exchange_division_changes_received", 4))
      << guangdong_.serve->Metrics();
  EXPECT_GE(
      QueryInt(national_.url, "SELECT COUNT(*) FROM audit_log WHERE action = 'division.record'"),
      1);
}

}  // namespace
}  // namespace nemis::it
