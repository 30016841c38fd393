// One person, one number resolved to one registration, on both stores: 北京 (110000, on the
// national node) and 广东 (440000, this province) registered one child; 广东's node runs the
// exchange.duplicate case and sends its verdict, the national node settles.
// - 广东 yields: 北京's stays at once; told so, 广东 ends its registration (status 99, a 取消学籍
//   change naming the case), and its next batch, carrying the ended state, is no new conflict.
// - 广东 keeps and 北京 yields: 广东's record replaces 北京's copy on the national node; both
//   nodes then hold the same of 广东; 广东's registration stays.
// - both keep: disputed, still reported (state disputed), nothing replaced; the ministry's
//   decision settles it (only for one of the two provinces, once).
// - bad verdicts, another province's conflict, a repeated or late verdict.
#include "exchange/conflict_resolution.hpp"

#include <gtest/gtest.h>

#include "exchange/exchange_testing.hpp"
#include "exchange/replica_digest.hpp"
#include "registry/status_change.hpp"
#include "registry/student_lock.hpp"
#include "workflow/definition_catalog.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;
using registry::StudentViewer;

constexpr std::string_view kNow = "2026-12-06T08:00:00Z";

class ConflictResolutionTest : public testing::TwoRegistrationsTest {
 protected:
  void SetUp() override {
    TwoRegistrationsTest::SetUp();
    if (HasFatalFailure()) return;
    auto first = Sync(Reported("440000"));
    ASSERT_OK(first);
    ASSERT_EQ(first->opened, 1);
    conflict_ = Reported("440000").items.at(0).id;
  }

  // Acts on the province's case as someone allowed everywhere, `who` a fresh account per step.
  void Act(workflow::CaseAction action, const std::string& who) {
    auto kase = cases_->Get(CaseId());
    ASSERT_OK(kase);
    workflow::Actor actor;
    actor.account = who;
    actor.may = [](std::string_view, const org::Institution&) { return true; };
    const auto* definition = workflow::DefinitionCatalog::Builtin().Find(kDuplicateCaseType);
    ASSERT_NE(definition, nullptr);
    ASSERT_OK(cases_->Act(actor, *definition, kase->id, action, kase->version, "核实",
                          [](db::Connection& c, const workflow::ApprovalCase& k) {
                            return OnDuplicateCaseEnd(c, k, kNow);
                          }));
  }
  void Keep() {
    Act(workflow::CaseAction::kApprove, "school1.registrar");
    Act(workflow::CaseAction::kApprove, "county.registrar");
  }
  void Yield() { Act(workflow::CaseAction::kReject, "school1.registrar"); }

  int64_t CaseId() {
    auto id = db().Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs,
                             c.Query("SELECT id FROM wf_case WHERE type = 'exchange.duplicate'"));
      return rs.rows.at(0).Int(0);
    });
    EXPECT_OK(id);
    return id.ok() ? *id : 0;
  }

  // The province's pending verdicts sent to the national node (as the poller does).
  VerdictsReport SendVerdicts() {
    auto pending = PendingVerdicts(db());
    EXPECT_OK(pending);
    auto report = RecordVerdicts(*national_, national_cipher_, "440000", *pending, kNow);
    EXPECT_OK(report);
    EXPECT_OK(MarkVerdictsReported(db(), *pending, kNow));
    return report.ok() ? *report : VerdictsReport{};
  }

  std::string StatusHere() {
    auto s = province_students_->Get(StudentViewer::Node(), here_.student_number);
    EXPECT_OK(s);
    return s.ok() ? s->enrolment.status : "";
  }

  int64_t conflict_ = 0;
};

TEST_P(ConflictResolutionTest, AYieldedRegistrationEndsAndIsNoNewConflict) {
  Yield();
  auto pending = PendingVerdicts(db());
  ASSERT_OK(pending);
  EXPECT_EQ(*pending, (std::vector<ConflictVerdict>{{conflict_, "yield"}}));
  VerdictsReport sent = SendVerdicts();
  EXPECT_EQ(sent.recorded, 1);
  EXPECT_EQ(sent.resolved, 1);
  auto after_report = PendingVerdicts(db());
  ASSERT_OK(after_report);
  EXPECT_TRUE(after_report->empty());

  // A case about the student opened meanwhile (留级) ends with the registration.
  workflow::Actor registrar;
  registrar.account = "school1.registrar";
  registrar.may = [](std::string_view, const org::Institution&) { return true; };
  const auto* repeat = workflow::DefinitionCatalog::Builtin().Find("status.02");
  ASSERT_NE(repeat, nullptr);
  auto other_case = cases_->Open(registrar, *repeat,
                                 registry::StudentSubject(province_cipher_, here_.student_number),
                                 {{"school", testing::kSchool1}, {"county", "440106"}});
  ASSERT_OK(other_case);

  ReportedConflicts told = Reported("440000");
  EXPECT_TRUE(told.items.empty());
  EXPECT_EQ(told.resolved, (std::vector<ConflictOutcome>{{conflict_, "110000"}}));
  EXPECT_EQ(Reported("110000").resolved, told.resolved);  // 北京 is told too
  auto synced = Sync(told);
  ASSERT_OK(synced);
  EXPECT_EQ(synced->yielded, 1);
  EXPECT_EQ(StatusHere(), "99");
  auto changes = province_students_->Changes(StudentViewer::Node(), here_.student_number);
  ASSERT_OK(changes);
  ASSERT_FALSE(changes->empty());
  EXPECT_EQ(changes->back().type, "18");
  EXPECT_EQ(changes->back().case_id, CaseId());
  auto other_after = cases_->Get(other_case->id);
  ASSERT_OK(other_after);
  EXPECT_EQ(other_after->status, workflow::CaseStatus::kCancelled);
  auto again = Sync(told);  // told again: nothing more
  ASSERT_OK(again);
  EXPECT_EQ(*again, ConflictSyncReport{});

  // The ended registration goes up; the national node keeps 北京's and opens nothing new.
  auto applied = ApplyBatch(*national_, national_cipher_, NextBatch(Checkpoint()));
  ASSERT_OK(applied);
  EXPECT_EQ(applied->conflicts, 0);
  EXPECT_EQ(applied->superseded, 1);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM exchange_conflict WHERE state <> 'resolved'"),
            0);
  auto kept = national_students_->Get(StudentViewer::Node(), beijing_.student_number);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->enrolment.province_code, "110000");
  // The given-up registration is not the province's any more: both nodes agree on 广东.
  auto digest = ExpectNodesAgree();
  ASSERT_TRUE(digest.has_value());
  EXPECT_EQ(digest->students, 0);
}

TEST_P(ConflictResolutionTest, AKeptRegistrationReplacesTheOneTheOtherProvinceGaveUp) {
  Keep();
  VerdictsReport sent = SendVerdicts();
  EXPECT_EQ(sent.recorded, 1);
  EXPECT_EQ(sent.resolved, 0);  // 北京 has not answered
  EXPECT_EQ(Reported("440000").items.size(), 1u);

  auto beijing =
      RecordVerdicts(*national_, national_cipher_, "110000", {{conflict_, "yield"}}, kNow);
  ASSERT_OK(beijing);
  EXPECT_EQ(beijing->resolved, 1);
  auto copy = national_students_->Get(StudentViewer::Node(), here_.student_number);
  ASSERT_OK(copy);
  EXPECT_EQ(copy->enrolment.province_code, "440000");
  EXPECT_EQ(copy->enrolment.school_code, testing::kSchool1);
  EXPECT_FALSE(national_students_->Get(StudentViewer::Node(), beijing_.student_number).ok());
  ExpectNodesAgree();

  auto synced = Sync(Reported("440000"));
  ASSERT_OK(synced);
  EXPECT_EQ(synced->kept, 1);
  EXPECT_EQ(StatusHere(), "01");
}

TEST_P(ConflictResolutionTest, BothKeepingIsDisputedAndStillReported) {
  Keep();
  SendVerdicts();
  auto beijing =
      RecordVerdicts(*national_, national_cipher_, "110000", {{conflict_, "keep"}}, kNow);
  ASSERT_OK(beijing);
  EXPECT_EQ(beijing->disputed, 1);
  ReportedConflicts told = Reported("440000");
  ASSERT_EQ(told.items.size(), 1u);
  EXPECT_EQ(told.items[0].state, "disputed");
  EXPECT_TRUE(told.resolved.empty());
  auto kept = national_students_->Get(StudentViewer::Node(), beijing_.student_number);
  EXPECT_OK(kept);
}

TEST_P(ConflictResolutionTest, VerdictsAreCheckedAndTakenOnce) {
  EXPECT_THAT(RecordVerdicts(*national_, national_cipher_, "440000", {{conflict_, "maybe"}}, kNow),
              IsErrorCode("validation_failed"));
  EXPECT_THAT(RecordVerdicts(*national_, national_cipher_, "450000", {{conflict_, "keep"}}, kNow),
              IsErrorCode("not_found"));
  EXPECT_THAT(
      RecordVerdicts(*national_, national_cipher_, "440000", {{conflict_ + 100, "keep"}}, kNow),
      IsErrorCode("not_found"));
  auto first = RecordVerdicts(*national_, national_cipher_, "440000", {{conflict_, "keep"}}, kNow);
  ASSERT_OK(first);
  EXPECT_EQ(first->recorded, 1);
  auto same = RecordVerdicts(*national_, national_cipher_, "440000", {{conflict_, "keep"}}, kNow);
  ASSERT_OK(same);
  EXPECT_EQ(same->recorded, 0);
  ASSERT_OK(RecordVerdicts(*national_, national_cipher_, "110000", {{conflict_, "yield"}}, kNow));
  auto late = RecordVerdicts(*national_, national_cipher_, "110000", {{conflict_, "keep"}}, kNow);
  ASSERT_OK(late);
  EXPECT_EQ(late->recorded, 0);  // resolved already
}

TEST_P(ConflictResolutionTest, TheMinistryDecidesADisputeForOneRegistration) {
  Keep();
  SendVerdicts();
  ASSERT_OK(RecordVerdicts(*national_, national_cipher_, "110000", {{conflict_, "keep"}}, kNow));
  EXPECT_THAT(DecideDispute(*national_, national_cipher_, conflict_, "450000", kNow),
              IsErrorCode("validation_failed"));
  EXPECT_THAT(DecideDispute(*national_, national_cipher_, conflict_ + 100, "440000", kNow),
              IsErrorCode("not_found"));
  ASSERT_OK(DecideDispute(*national_, national_cipher_, conflict_, "440000", kNow));
  auto copy = national_students_->Get(StudentViewer::Node(), here_.student_number);
  ASSERT_OK(copy);
  EXPECT_EQ(copy->enrolment.province_code, "440000");
  EXPECT_EQ(Reported("110000").resolved, (std::vector<ConflictOutcome>{{conflict_, "440000"}}));
  auto synced = Sync(Reported("440000"));
  ASSERT_OK(synced);
  EXPECT_EQ(synced->kept, 1);
  EXPECT_EQ(StatusHere(), "01");
  EXPECT_THAT(DecideDispute(*national_, national_cipher_, conflict_, "110000", kNow),
              IsErrorCode("conflict_resolved"));
}

NEMIS_STORE_TEST_SUITE(ConflictResolutionTest);

}  // namespace
}  // namespace nemis::exchange
