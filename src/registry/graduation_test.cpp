// A school's own graduation (graduation.hpp) on both stores: a primary school graduates
// its final grade at once, students held back by a case counted and left; a complete
// secondary school (完全中学) graduates its 初中 at once and applies for its 高中, which the
// city's approval graduates; a dry run at any time that writes nothing; the window from
// 1 June to the calendar's deadline (Beijing time); and every refusal with nothing written.
#include "registry/graduation.hpp"

#include <gtest/gtest.h>

#include "registry/year_end_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::registry {
namespace {

using namespace year_end_testing;  // NOLINT(google-build-using-namespace)
using case_testing::ActorWithGrants;
using case_testing::GrantTable;
using nemis::testing::IsErrorCode;

// A complete secondary school (完全中学, 341: 初中 and 高中) in 天河区 of 广州 (440100).
const std::string kSecondary = "3444000001";
const std::string kGuangzhou = "440100";

const GrantTable kGrants = {
    {"primary.registrar", {{"student.update", kPrimary}}},
    {"secondary.registrar", {{"student.update", kSecondary}}},
    {"guangzhou.city", {{"student.approve", kGuangzhou}}},
    {"tianhe.county", {{"student.approve", kTianheCounty}}},
};

workflow::Actor ActorFor(const std::string& account) { return ActorWithGrants(account, kGrants); }

GraduationRequest Request(const std::string& school, int year = 2026, bool dry_run = false) {
  GraduationRequest r;
  r.school = school;
  r.year = year;
  r.dry_run = dry_run;
  return r;
}

class GraduationTest : public YearEndTest {
 protected:
  void SetUp() override {
    YearEndTest::SetUp();
    org::OrgStore orgs(db(), clock_);
    AddSchool(orgs, kSecondary, kTianheCounty, "天河区第一完全中学", "341");
    graduations_ =
        std::make_unique<Graduations>(db(), *cases_, clock_, RegistryCalendar::National());
    clock_.Set(*ParseUtc("2026-07-10T02:00:00.000Z"));  // 10 July 2026 in Beijing
  }

  Result<GraduationOutcome> Graduate(const std::string& account, const GraduationRequest& r,
                                     const org::Scope& scope = org::Scope::Everything()) {
    return graduations_->Graduate(ActorFor(account), scope, r);
  }

  static constexpr const char* kJulyTenth = "2026-07-10";
  std::unique_ptr<Graduations> graduations_;
};

TEST_P(GraduationTest, APrimarySchoolGraduatesItsFinalGradeAtOnce) {
  const Student a = Enrol(1, kPrimary, 6), b = Enrol(2, kPrimary, 6), held = Enrol(3, kPrimary, 6);
  const Student p5 = Enrol(4, kPrimary, 5), other = Enrol(5, kLiwan, 6);
  OpenCase(held);

  auto done = Graduate("primary.registrar", Request(kPrimary));
  ASSERT_OK(done);
  EXPECT_EQ(done->graduated, 2);
  EXPECT_EQ(done->awaiting_approval, 0);
  EXPECT_EQ(done->held, 1);
  EXPECT_FALSE(done->application.has_value());
  ExpectGraduated(a, 2026, "graduation:2026", kJulyTenth);
  ExpectGraduated(b, 2026, "graduation:2026", kJulyTenth);
  ExpectUntouched(held);
  ExpectUntouched(p5);
  ExpectUntouched(other);

  // Done: what is left is held back, and the promotion does not graduate them twice.
  EXPECT_THAT(Graduate("primary.registrar", Request(kPrimary)), IsErrorCode("nothing_to_graduate"));
  clock_.Set(*ParseUtc("2026-08-10T17:30:00.000Z"));
  PromotionReport promotion = Run(2026);
  EXPECT_EQ(promotion.total.graduated, 1);  // 荔湾's, which its school left to the promotion
  EXPECT_EQ(promotion.total.held, 1);
  EXPECT_EQ(ChangesOf(a).size(), 1u);
}

TEST_P(GraduationTest, ASecondarySchoolGraduatesItsJuniorsAndTheCityApprovesItsSeniors) {
  const Student j9 = Enrol(1, kSecondary, 9), s12a = Enrol(2, kSecondary, 12),
                s12b = Enrol(3, kSecondary, 12), s11 = Enrol(4, kSecondary, 11);
  ASSERT_EQ(s12a.enrolment.stage, "senior");

  auto applied = Graduate("secondary.registrar", Request(kSecondary));
  ASSERT_OK(applied);
  EXPECT_EQ(applied->graduated, 1);
  EXPECT_EQ(applied->awaiting_approval, 2);
  ASSERT_TRUE(applied->application.has_value());
  const ApprovalCase kase = *applied->application;
  EXPECT_EQ(kase.type, "graduation.senior");
  EXPECT_EQ(kase.status, CaseStatus::kOpen);
  EXPECT_EQ(kase.subject, "graduation:" + kSecondary + ":2026");
  ExpectGraduated(j9, 2026, "graduation:2026", kJulyTenth);
  ExpectUntouched(s12a);
  EXPECT_THAT(Graduate("secondary.registrar", Request(kSecondary)), IsErrorCode("case_pending"));

  // The county is not the city; the city approves and the seniors graduate.
  const auto on_end = [&](db::Connection& c, const ApprovalCase& k) {
    return graduations_->OnEnd(c, k);
  };
  EXPECT_THAT(cases_->Act(ActorFor("tianhe.county"), Definition(kase.type), kase.id,
                          CaseAction::kApprove, kase.version, "", on_end),
              IsErrorCode("forbidden"));
  auto approved = cases_->Act(ActorFor("guangzhou.city"), Definition(kase.type), kase.id,
                              CaseAction::kApprove, kase.version, "", on_end);
  ASSERT_OK(approved);
  EXPECT_EQ(approved->status, CaseStatus::kApproved);
  const std::string ref = "case:" + std::to_string(kase.id);
  ExpectGraduated(s12a, 2026, ref, kJulyTenth);
  ExpectGraduated(s12b, 2026, ref, kJulyTenth);
  ExpectUntouched(s11);
}

TEST_P(GraduationTest, ADryRunCountsAtAnyTimeAndWritesNothing) {
  Enrol(1, kSecondary, 9);
  Enrol(2, kSecondary, 12);
  OpenCase(Enrol(3, kPrimary, 6));
  clock_.Set(*ParseUtc("2026-12-05T02:00:00.000Z"));
  const Snapshot before = Take();
  auto secondary = Graduate("secondary.registrar", Request(kSecondary, 2026, true));
  ASSERT_OK(secondary);
  EXPECT_TRUE(secondary->dry_run);
  EXPECT_EQ(secondary->graduated, 1);
  EXPECT_EQ(secondary->awaiting_approval, 1);
  EXPECT_EQ(secondary->held, 0);
  EXPECT_FALSE(secondary->application.has_value());
  auto primary = Graduate("primary.registrar", Request(kPrimary, 2026, true));
  ASSERT_OK(primary);
  EXPECT_EQ(primary->graduated, 0);
  EXPECT_EQ(primary->held, 1);
  EXPECT_EQ(Take(), before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM wf_case WHERE type = 'graduation.senior'"), 0);
}

TEST_P(GraduationTest, OnlyFromTheFirstOfJuneToTheDeadlineInBeijing) {
  const Student a = Enrol(1, kPrimary, 6);
  clock_.Set(*ParseUtc("2026-05-31T15:59:59.000Z"));  // 23:59:59 on 31 May in Beijing
  EXPECT_THAT(Graduate("primary.registrar", Request(kPrimary)), IsErrorCode("graduation_window"));
  clock_.Set(*ParseUtc("2026-07-30T16:00:00.000Z"));  // 00:00 on 31 July
  auto late = Graduate("primary.registrar", Request(kPrimary));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "graduation_window");
  EXPECT_EQ(late.error().message, "2026年的毕业须在6月1日至7月30日（北京时间）办理");
  ExpectUntouched(a);
  clock_.Set(*ParseUtc("2026-07-30T15:59:59.000Z"));  // 23:59:59 on 30 July
  auto last = Graduate("primary.registrar", Request(kPrimary));
  ASSERT_OK(last);
  EXPECT_EQ(last->graduated, 1);
}

TEST_P(GraduationTest, RefusalsNameTheProblemAndWriteNothing) {
  Enrol(1, kPrimary, 6);
  const Snapshot before = Take();
  auto empty = Graduate("primary.registrar", Request("", 1999));
  ASSERT_FALSE(empty.ok());
  ASSERT_EQ(empty.error().fields.size(), 2u);
  EXPECT_EQ(empty.error().fields[0].field, "school");
  EXPECT_EQ(empty.error().fields[1].field, "year");
  EXPECT_EQ(empty.error().fields[1].code, "bad_year");
  EXPECT_THAT(Graduate("primary.registrar", Request("2144009999")), IsErrorCode("not_found"));
  EXPECT_THAT(Graduate("primary.registrar", Request(kTianheCounty)), IsErrorCode("not_found"));
  // Out of the caller's scope: as if it did not exist; in scope but not its school: 403.
  EXPECT_THAT(
      Graduate("primary.registrar", Request(kLiwan), org::Scope::Of(Institution(kTianheCounty))),
      IsErrorCode("not_found"));
  EXPECT_THAT(Graduate("primary.registrar", Request(kSecondary)), IsErrorCode("forbidden"));
  EXPECT_THAT(Graduate("secondary.registrar", Request(kSecondary)),
              IsErrorCode("nothing_to_graduate"));
  EXPECT_EQ(Take(), before);
}

}  // namespace

NEMIS_STORE_TEST_SUITE(GraduationTest);

}  // namespace nemis::registry
