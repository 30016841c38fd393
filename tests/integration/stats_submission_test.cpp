// The annual statistics submission through HTTP on both back ends: a school's statistician
// is told to explain its warning, submits, is returned by the county with a reason,
// resubmits and is approved; a stale version, a missing reason and a role without
// stats.submit are refused; another county sees nothing; the progress shows the county's
// schools; the signed file verifies offline with `nemis stats verify` against the key the
// node publishes, and not once a figure is changed.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "base/date.hpp"
#include "fixture.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

class StatsSubmissionTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedRoster();
    StartServer();
    // The last 1 September before today: its point in time has passed.
    const Date today = Clock::System().TodayInChina();
    year_ = today > Date{today.year, 9, 1} ? today.year : today.year - 1;
  }

  std::string UnitPath(const std::string& org, const std::string& action = "") {
    return "/api/v1/stats/submissions/" + std::to_string(year_) + "/" + org +
           (action.empty() ? "" : "/" + action);
  }
  // GET, waiting while the engine loads (503).
  HttpResponse Show(HttpClient& client, const std::string& org) {
    HttpResponse r;
    for (int i = 0; i < 200; ++i) {
      r = client.Get(UnitPath(org));
      if (r.status != 503) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return r;
  }
  static bool Names(const HttpResponse& r, const std::string& field) {
    const json fields = r.Json()["error"]["fields"];
    for (const auto& f : fields)
      if (f["field"] == field) return true;
    return false;
  }
  static int64_t VersionOf(const HttpResponse& r) { return r.Json()["unit"]["version"]; }

  int year_ = 0;
};

TEST_P(StatsSubmissionTest, ASchoolIsReturnedResubmitsIsApprovedAndItsSignedFileVerifies) {
  const School& school = PrimarySchool();
  const std::string county = school.division;
  HttpClient clerk = ClientWithToken(TokenFor("stat.school", "statistician", school.code));
  HttpClient reviewer = ClientWithToken(TokenFor("stat.county", "statistician", county));

  // The draft: the roster was registered today, so on 1 September the school had no one.
  HttpResponse draft = Show(clerk, school.code);
  ASSERT_EQ(draft.status, 200) << draft.Describe();
  const json body = draft.Json();
  EXPECT_EQ(body["unit"]["state"], "ready");
  EXPECT_EQ(body["allowed"], json::array({"submit"}));
  EXPECT_EQ(body["pointInTime"], std::to_string(year_) + "-09-01");
  ASSERT_EQ(body["findings"].size(), 1u) << body["findings"];
  EXPECT_EQ(body["findings"][0]["id"], "no_students");
  EXPECT_EQ(body["findings"][0]["severity"], "warning");

  HttpResponse unexplained = clerk.PostJson(UnitPath(school.code, "submit"), json::object());
  EXPECT_EQ(unexplained.status, 422) << unexplained.Describe();
  EXPECT_EQ(unexplained.ErrorCode(), "explanation_required");
  EXPECT_TRUE(Names(unexplained, "explanations.no_students")) << unexplained.body;
  // A registrar holds no stats.submit.
  HttpResponse registrar =
      SchoolRegistrarClient(school.code).PostJson(UnitPath(school.code, "submit"), json::object());
  EXPECT_EQ(registrar.status, 403) << registrar.Describe();

  const json explained = {{"explanations", {{"no_students", "学籍于统计时点后录入"}}}};
  HttpResponse submitted = clerk.PostJson(UnitPath(school.code, "submit"), explained);
  ASSERT_EQ(submitted.status, 201) << submitted.Describe();
  EXPECT_EQ(submitted.Json()["unit"]["state"], "submitted");
  EXPECT_EQ(submitted.Json()["signatures"].size(), 1u);
  EXPECT_EQ(submitted.Json()["allowed"], json::array({"withdraw"}));

  // The county: a reason is required; returned; the school resubmits.
  HttpResponse seen = Show(reviewer, school.code);
  ASSERT_EQ(seen.status, 200) << seen.Describe();
  EXPECT_EQ(seen.Json()["allowed"], json::array({"approve", "return"}));
  HttpResponse no_reason = reviewer.PostJson(UnitPath(school.code, "return"),
                                             {{"version", VersionOf(seen)}, {"reason", " "}});
  EXPECT_EQ(no_reason.status, 422) << no_reason.Describe();
  EXPECT_TRUE(Names(no_reason, "reason")) << no_reason.body;
  HttpResponse returned =
      reviewer.PostJson(UnitPath(school.code, "return"),
                        {{"version", VersionOf(seen)}, {"reason", "请说明录入时间"}});
  ASSERT_EQ(returned.status, 200) << returned.Describe();
  EXPECT_EQ(returned.Json()["unit"]["state"], "returned");
  EXPECT_EQ(returned.Json()["unit"]["returnReason"], "请说明录入时间");
  ASSERT_EQ(clerk.PostJson(UnitPath(school.code, "submit"), explained).status, 201);

  // A stale version is refused; the current one approves.
  HttpResponse again = Show(reviewer, school.code);
  HttpResponse stale =
      reviewer.PostJson(UnitPath(school.code, "approve"), {{"version", VersionOf(again) - 1}});
  EXPECT_EQ(stale.status, 409) << stale.Describe();
  EXPECT_EQ(stale.ErrorCode(), "version_conflict");
  HttpResponse approved =
      reviewer.PostJson(UnitPath(school.code, "approve"), {{"version", VersionOf(again)}});
  ASSERT_EQ(approved.status, 200) << approved.Describe();
  EXPECT_EQ(approved.Json()["unit"]["state"], "approved");
  EXPECT_EQ(approved.Json()["signatures"].size(), 2u);

  // Another county's statistician does not see the school.
  const std::string other_county = county == "440106" ? "440103" : "440106";
  HttpClient stranger = ClientWithToken(TokenFor("stat.other", "statistician", other_county));
  EXPECT_EQ(stranger.Get(UnitPath(school.code)).status, 404);

  // The county's progress.
  HttpResponse progress = reviewer.Get("/api/v1/stats/submissions?year=" + std::to_string(year_));
  ASSERT_EQ(progress.status, 200) << progress.Describe();
  const json p = progress.Json();
  EXPECT_EQ(p["unit"]["org"], county);
  bool listed = false;
  for (const auto& unit : p["units"])
    if (unit["org"] == school.code) listed = unit["state"] == "approved";
  EXPECT_TRUE(listed) << p["units"];

  // The signed file, verified offline against the key the node publishes.
  HttpResponse file = reviewer.Get(UnitPath(school.code, "signed"));
  ASSERT_EQ(file.status, 200) << file.Describe();
  HttpResponse key = reviewer.Get("/api/v1/stats/signing-key");
  ASSERT_EQ(key.status, 200) << key.Describe();
  const std::string dir = store().dir().path().string();
  std::ofstream(dir + "/signed.json") << file.body;
  std::ofstream(dir + "/authority.pem") << key.Json()["publicKey"].get<std::string>();
  RunResult ok = RunNemisOnStore({"stats", "verify", "signed.json", "--trust", "authority.pem"});
  EXPECT_TRUE(ok.status.Ok()) << ok.Describe();
  EXPECT_NE(ok.out.find("核验通过"), std::string::npos) << ok.out;
  json tampered = json::parse(file.body);
  tampered["snapshot"]["students"] = 1;
  std::ofstream(dir + "/tampered.json") << tampered.dump();
  RunResult bad = RunNemisOnStore({"stats", "verify", "tampered.json", "--trust", "authority.pem"});
  EXPECT_EQ(bad.status.code, 1) << bad.Describe();
  EXPECT_NE(bad.out.find("核验未通过"), std::string::npos) << bad.out;
  RunResult missing = RunNemisOnStore({"stats", "verify", "none.json"});
  EXPECT_EQ(missing.status.code, 2) << missing.Describe();
}

TEST_P(StatsSubmissionTest, AYearThatIsNotAYearIsABadRequest) {
  HttpResponse r = http().Get("/api/v1/stats/submissions/20x6/" + PrimarySchool().code);
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "bad_parameter");
}

NEMIS_IT_BOTH_BACKENDS(StatsSubmissionTest);

}  // namespace
}  // namespace nemis::it
