// The annual submissions on both back ends: a school submits its frozen forms, the county
// returns it with a reason, the school resubmits, the county approves (signed), the county
// submits the sum of its schools, the city returns it and the county reopens a school; the
// DHIS2 rules along the way (no submission over units not approved, nothing below a
// pending level changes, a reason for every return, one person one step); warnings that
// must be explained; the signed document verified offline and refused once tampered with;
// two approvers at once; the progress of the levels.
#include "stats/submission_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "registry/year_end_testing.hpp"
#include "stats/stats_engine.hpp"
#include "stats/submission_progress.hpp"

namespace nemis::stats {
namespace {

using namespace registry::year_end_testing;  // NOLINT(google-build-using-namespace)
using nemis::testing::IsErrorCode;

constexpr int kYear = 2026;

// `account` holds stats.submit and stats.approve wherever `covers` says.
workflow::Actor ActorAt(const std::string& account,
                        std::function<bool(const org::Institution&)> covers, bool approves = true) {
  workflow::Actor a;
  a.account = account;
  a.roles = "statistician";
  a.request_id = "req-" + account;
  a.may = [covers = std::move(covers), approves](std::string_view permission,
                                                 const org::Institution& at) {
    if (permission != "stats.submit" && !(approves && permission == "stats.approve")) return false;
    return covers(at);
  };
  return a;
}

workflow::Actor SchoolStatistician(const std::string& school) {
  return ActorAt(
      "stat." + school, [school](const org::Institution& at) { return at.code == school; }, false);
}
workflow::Actor CountyStatistician(const std::string& account) {
  return ActorAt(account, [](const org::Institution& at) {
    return at.county_code.value_or("") == kTianheCounty;
  });
}
workflow::Actor CityStatistician() {
  return ActorAt("stat.guangzhou",
                 [](const org::Institution& at) { return at.city_code.value_or("") == "440100"; });
}

bool HasField(const Error& e, const std::string& field) {
  for (const auto& f : e.fields)
    if (f.field == field) return true;
  return false;
}

class SubmissionStoreTest : public YearEndTest {
 protected:
  void SetUp() override {
    YearEndTest::SetUp();
    if (HasFatalFailure()) return;
    signers_ = std::make_unique<SignerKeys>(cipher_, [this]() { return Result(authority_); });
    store_ = std::make_unique<SubmissionStore>(db(), clock_, *cases_, *signers_);
  }

  // Pupils of every primary grade, two junior pupils, no child at the kindergarten; then
  // October, the point in time past.
  void EnrolAndLoad() {
    for (int i = 0; i < 12; ++i) Enrol(i, kPrimary, 1 + i % 6);
    Enrol(20, kJunior, 7);
    Enrol(21, kJunior, 8);
    Enrol(22, kLiwan, 3);
    clock_.Set(*ParseUtc("2026-10-08T02:00:00.000Z"));
    engine_ = std::make_unique<StatsEngine>(db(), EngineOptions{}, clock_);
    ASSERT_OK(engine_->Load());
  }

  Result<Submission> Submit(const workflow::Actor& who, const std::string& code,
                            const std::map<std::string, std::string>& explanations = {}) {
    return store_->Submit(who, *engine_, kYear, Institution(code), explanations);
  }
  int64_t VersionOf(const std::string& code) {
    auto s = store_->Get(kYear, code);
    EXPECT_OK(s);
    return s.ok() && *s ? (*s)->version : -1;
  }

  crypto::Sm2PrivateKey authority_ = crypto::Sm2PrivateKey::Generate();
  std::unique_ptr<SignerKeys> signers_;
  std::unique_ptr<SubmissionStore> store_;
  std::unique_ptr<StatsEngine> engine_;
};

TEST_P(SubmissionStoreTest, ASchoolIsReturnedResubmitsAndIsApprovedUpTheLevels) {
  EnrolAndLoad();
  const auto school = SchoolStatistician(kPrimary);
  const auto county = CountyStatistician("stat.tianhe");
  const auto county2 = CountyStatistician("stat.tianhe.2");
  const auto city = CityStatistician();

  auto submitted = Submit(school, kPrimary);
  ASSERT_OK(submitted);
  EXPECT_EQ(submitted->state, SubmissionState::kSubmitted);
  EXPECT_EQ(submitted->snapshot["students"], 12);
  ASSERT_EQ(submitted->snapshot["forms"].size(), 3u);  // 教基1001 (itself), 2106, 3112; no 3118
  EXPECT_EQ(submitted->snapshot["forms"][0]["id"], "教基1001");
  EXPECT_EQ(Submit(school, kPrimary).error().code, "already_submitted");
  // The county cannot submit over schools not approved.
  EXPECT_THAT(Submit(county, kTianheCounty), IsErrorCode("units_not_approved"));

  // Returned with a reason (none: refused), then submitted again.
  auto no_reason = store_->Return(county, kYear, kPrimary, "", VersionOf(kPrimary));
  ASSERT_THAT(no_reason, IsErrorCode("validation_failed"));
  EXPECT_TRUE(HasField(no_reason.error(), "reason"));
  auto returned = store_->Return(county, kYear, kPrimary, "请核对一年级人数", VersionOf(kPrimary));
  ASSERT_OK(returned);
  EXPECT_EQ(returned->state, SubmissionState::kReturned);
  EXPECT_EQ(returned->return_reason, "请核对一年级人数");
  ASSERT_OK(Submit(school, kPrimary));

  // The school cannot approve itself; a stale version is refused; the county approves.
  EXPECT_THAT(store_->Approve(school, kYear, kPrimary, VersionOf(kPrimary)),
              IsErrorCode("forbidden"));
  EXPECT_THAT(store_->Approve(county, kYear, kPrimary, VersionOf(kPrimary) - 1),
              IsErrorCode("version_conflict"));
  auto approved = store_->Approve(county, kYear, kPrimary, VersionOf(kPrimary));
  ASSERT_OK(approved);
  EXPECT_EQ(approved->state, SubmissionState::kApproved);
  EXPECT_EQ(approved->decided_by, "stat.tianhe");

  // The junior school, submitted by the county for it: another county officer approves.
  ASSERT_OK(Submit(county, kJunior));
  EXPECT_THAT(store_->Approve(county, kYear, kJunior, VersionOf(kJunior)),
              IsErrorCode("not_your_step"));
  ASSERT_OK(store_->Approve(county2, kYear, kJunior, VersionOf(kJunior)));
  // The kindergarten has no pupil: a warning to explain.
  auto unexplained = Submit(SchoolStatistician(kKinder), kKinder);
  ASSERT_THAT(unexplained, IsErrorCode("explanation_required"));
  EXPECT_TRUE(HasField(unexplained.error(), "explanations.no_students"));
  ASSERT_OK(
      Submit(SchoolStatistician(kKinder), kKinder, {{"no_students", "新建园，9 月 15 日开园"}}));
  ASSERT_OK(store_->Approve(county, kYear, kKinder, VersionOf(kKinder)));

  // The county's submission is the sum of its schools'.
  auto county_sub = Submit(county, kTianheCounty, {{"schools_without_students", "新建园"}});
  ASSERT_OK(county_sub);
  EXPECT_EQ(county_sub->snapshot["students"], 14);
  EXPECT_EQ(county_sub->snapshot["schools"], 3);
  EXPECT_EQ(county_sub->snapshot["schoolsWithoutStudents"], nlohmann::json::array({kKinder}));
  const auto& schools_form = county_sub->snapshot["forms"][0];  // 教基1001: its schools
  ASSERT_EQ(schools_form["id"], "教基1001");
  EXPECT_EQ(schools_form["cells"][0][0], 3);  // 总计
  EXPECT_EQ(schools_form["cells"][2][0], 1);  // 小学 (211)
  // Frozen below: the county cannot reopen a school while its own submission is pending.
  EXPECT_THAT(store_->Return(county, kYear, kPrimary, "再核对", VersionOf(kPrimary)),
              IsErrorCode("locked_above"));
  EXPECT_THAT(store_->Withdraw(school, kYear, kPrimary, VersionOf(kPrimary)),
              IsErrorCode("not_submitted"));

  // The city returns the county; the county may then reopen the school it approved.
  ASSERT_OK(store_->Return(city, kYear, kTianheCounty, "一年级人数与上年差异大",
                           VersionOf(kTianheCounty)));
  auto reopened = store_->Return(county, kYear, kPrimary, "再核对", VersionOf(kPrimary));
  ASSERT_OK(reopened);
  EXPECT_EQ(reopened->state, SubmissionState::kReturned);

  auto progress = ProgressOf(db(), kYear, Institution("440100"), clock_.TodayInChina());
  ASSERT_OK(progress);
  EXPECT_EQ(progress->unit.state, "waiting");
  ASSERT_EQ(progress->units.size(), 2u);  // 荔湾区 and 天河区: the counties with schools
  EXPECT_EQ(progress->units[0].org_code, "440103");
  EXPECT_EQ(progress->units[0].state, "waiting");
  EXPECT_TRUE(progress->units[0].overdue);
  EXPECT_EQ(progress->units[1].state, "returned");
  EXPECT_EQ(progress->units[1].units_below, 3);
  EXPECT_EQ(progress->units[1].units_below_approved, 2);
  for (const auto& level : progress->levels) {
    if (level.level != org::OrgLevel::kSchool) continue;
    EXPECT_EQ(level.units, 4);  // three in 天河区, one in 荔湾区
    EXPECT_EQ(level.approved, 2);
    EXPECT_EQ(level.returned, 1);
    EXPECT_EQ(level.ready, 1);
    EXPECT_EQ(level.overdue, 2);
  }
}

// Acceptance not required: the county submits once its schools have submitted, and its
// submission approves them, signed by whoever submits the county; that cannot be the person
// who submitted one of them (one person, one step), and then nothing is written.
TEST_P(SubmissionStoreTest, WithoutAcceptanceTheLevelsSubmissionApprovesWhatAwaitsIt) {
  EnrolAndLoad();
  store_ = std::make_unique<SubmissionStore>(db(), clock_, *cases_, *signers_,
                                             SubmissionSettings{20, /*acceptance_required=*/false});
  const auto county = CountyStatistician("stat.tianhe");
  const std::map<std::string, std::string> explained = {{"schools_without_students", "新建园"}};
  ASSERT_OK(Submit(SchoolStatistician(kPrimary), kPrimary));
  ASSERT_OK(Submit(SchoolStatistician(kJunior), kJunior));
  EXPECT_THAT(Submit(county, kTianheCounty, explained), IsErrorCode("units_not_approved"));
  ASSERT_OK(Submit(county, kKinder, {{"no_students", "新建园"}}));  // for the kindergarten
  EXPECT_THAT(Submit(county, kTianheCounty, explained), IsErrorCode("not_your_step"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM stats_submission WHERE state = 'approved'"), 0);
  auto submitted = Submit(CountyStatistician("stat.tianhe.2"), kTianheCounty, explained);
  ASSERT_OK(submitted);
  EXPECT_EQ(submitted->snapshot["students"], 14);
  for (const std::string& school : {kPrimary, kJunior, kKinder}) {
    auto row = store_->Get(kYear, school);
    ASSERT_OK(row);
    ASSERT_TRUE(row->has_value());
    EXPECT_EQ((*row)->state, SubmissionState::kApproved) << school;
    EXPECT_EQ((*row)->decided_by, "stat.tianhe.2") << school;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM stats_signature WHERE action = 'approve' AND "
                  "account = 'stat.tianhe.2'"),
            3);
}

TEST_P(SubmissionStoreTest, TheSignedDocumentVerifiesAndRefusesEveryTampering) {
  EnrolAndLoad();
  ASSERT_OK(Submit(SchoolStatistician(kPrimary), kPrimary));
  ASSERT_OK(
      store_->Approve(CountyStatistician("stat.tianhe"), kYear, kPrimary, VersionOf(kPrimary)));
  auto doc = store_->SignedDocument(kYear, kPrimary);
  ASSERT_OK(doc);
  const std::string trusted = authority_.PublicPem();
  auto check = VerifySignedSubmission(*doc, trusted);
  EXPECT_TRUE(check.ok()) << doc->dump(2);
  ASSERT_EQ(check.signatures.size(), 2u);
  EXPECT_EQ(check.signatures[0].action, "submit");
  EXPECT_EQ(check.signatures[1].action, "approve");
  EXPECT_EQ(check.signatures[1].account, "stat.tianhe");

  auto tampered = *doc;  // one figure
  tampered["snapshot"]["students"] = 13;
  EXPECT_FALSE(VerifySignedSubmission(tampered, trusted).ok());
  tampered["digest"] = VerifySignedSubmission(tampered, trusted).digest;  // digest redone too
  auto redone = VerifySignedSubmission(tampered, trusted);
  EXPECT_FALSE(redone.ok());
  EXPECT_FALSE(redone.signatures[0].problem.empty());
  tampered = *doc;  // an explanation added
  tampered["explanations"]["no_students"] = "x";
  EXPECT_FALSE(VerifySignedSubmission(tampered, trusted).ok());
  tampered = *doc;  // a signature moved to another person's certificate
  tampered["signatures"][1]["certificate"] = (*doc)["signatures"][0]["certificate"];
  EXPECT_FALSE(VerifySignedSubmission(tampered, trusted).ok());
  tampered = *doc;  // a signature's bytes
  tampered["signatures"][0]["signature"] = (*doc)["signatures"][1]["signature"];
  EXPECT_FALSE(VerifySignedSubmission(tampered, trusted).ok());
  // Another authority's key: refused; without a trusted key the document's own is used.
  EXPECT_FALSE(VerifySignedSubmission(*doc, crypto::Sm2PrivateKey::Generate().PublicPem()).ok());
  EXPECT_TRUE(VerifySignedSubmission(*doc, std::nullopt).ok());
  // Keys are issued once per person and sealed at rest.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM stats_signer"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM stats_signer WHERE private_key LIKE '%PRIVATE%'"), 0);
}

TEST_P(SubmissionStoreTest, PupilsOfTheWrongAgeForTheirGradeAreAWarningToExplain) {
  Draft d;
  registry::case_testing::SetPupil(d, 30, kPrimary, 1, 2010, "2025-09");  // sixteen in grade 1
  ASSERT_OK(students_->Register(registry::StudentViewer::Node(), d.input, {}));
  EnrolAndLoad();
  auto draft = store_->Prepare(*engine_, kYear, Institution(kPrimary));
  ASSERT_OK(draft);
  bool found = false;
  for (const auto& f : draft->findings)
    if (f.id == "grade_age:1") {
      found = true;
      EXPECT_TRUE(f.warning);
      EXPECT_NE(f.message.find("1 名学生"), std::string::npos) << f.message;
      EXPECT_NE(f.message.find("2017–2021"), std::string::npos) << f.message;
    }
  EXPECT_TRUE(found);
  EXPECT_THAT(Submit(SchoolStatistician(kPrimary), kPrimary), IsErrorCode("explanation_required"));
  auto ok =
      Submit(SchoolStatistician(kPrimary), kPrimary, {{"grade_age:1", "随班就读"}, {"x", "y"}});
  ASSERT_OK(ok);
  EXPECT_EQ(ok->explanations, (std::map<std::string, std::string>{{"grade_age:1", "随班就读"}}));
}

TEST_P(SubmissionStoreTest, NothingIsSubmittedBeforeThePointInTimeHasPassed) {
  for (int i = 0; i < 3; ++i) Enrol(i, kPrimary, 1);
  clock_.Set(*ParseUtc("2026-08-20T02:00:00.000Z"));
  engine_ = std::make_unique<StatsEngine>(db(), EngineOptions{}, clock_);
  ASSERT_OK(engine_->Load());
  EXPECT_THAT(Submit(SchoolStatistician(kPrimary), kPrimary), IsErrorCode("point_not_reached"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM stats_submission"), 0);
}

TEST_P(SubmissionStoreTest, OfTwoApproversAtOnceOneWinsAndTheOtherChangesNothing) {
  EnrolAndLoad();
  ASSERT_OK(Submit(SchoolStatistician(kPrimary), kPrimary));
  const int64_t version = VersionOf(kPrimary);
  std::atomic<int> won{0}, refused{0};
  auto approve = [&](const std::string& account) {
    auto r = store_->Approve(CountyStatistician(account), kYear, kPrimary, version);
    (r.ok() ? won : refused)++;
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::kConflict) << r.error().message;
    }
  };
  std::thread a(approve, "stat.a"), b(approve, "stat.b");
  a.join();
  b.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(refused, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM stats_signature WHERE action = 'approve'"), 1);
  EXPECT_EQ(VersionOf(kPrimary), version + 1);
}

NEMIS_STORE_TEST_SUITE(SubmissionStoreTest);

}  // namespace
}  // namespace nemis::stats
