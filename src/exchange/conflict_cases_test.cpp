// One person, one number across provinces, on both stores: a child registered by 北京 (110000)
// and again by 广东 (440000) is one conflict on the national node, reported to each province as
// its own student's number and only the national view of the other registration (the
// "incoming" side to 广东, the "holder" side to 北京); the report's JSON reads back the same,
// and a malformed one is a bad_answer. On the province the conflict becomes one
// exchange.duplicate case at the student's school and county, whose details name the other
// school but hold no student number; reported again it opens nothing more; once the national
// node no longer reports it, the case is closed by the node (not when the list was cut short);
// a conflict about a number the province no longer holds is counted, not opened; one found again
// under a new id after the national node was restored takes over the verdict given here, or the
// outcome when it had been resolved (a registration ended is not ended twice).
#include "exchange/conflict_cases.hpp"

#include <gtest/gtest.h>

#include "exchange/exchange_testing.hpp"
#include "registry/personal_mask.hpp"
#include "registry/student_lock.hpp"
#include "registry/transfer_lookup.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;
using testing::kSchool1;

class ConflictCasesTest : public testing::TwoRegistrationsTest {
 protected:
  // The case of conflict `id` ended here with "keep", and the national node took the verdict.
  void KeptAndReported(int64_t id) {
    ASSERT_OK(db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(
          c.Query("UPDATE exchange_conflict_case SET verdict = 'keep', verdict_at = $1, "
                  "reported_at = $1 WHERE conflict_id = $2",
                  {"2026-03-01T00:00:00.000Z", id}));
      return {};
    }));
  }
};

TEST_P(ConflictCasesTest, EachProvinceIsToldItsOwnNumberAndOnlyTheOthersNationalView) {
  ReportedConflicts guangdong = Reported("440000");
  ASSERT_EQ(guangdong.items.size(), 1u);
  const ConflictNotice& g = guangdong.items[0];
  EXPECT_EQ(g.side, "incoming");
  EXPECT_EQ(g.kind, "document_held");
  EXPECT_EQ(g.student_number, here_.student_number);
  EXPECT_EQ(g.other,
            (NationalView{"110000", "2111000001", "东城区第一小学", beijing_.enrolment.stage, "01",
                          3, registry::MaskName(beijing_.name)}));

  ReportedConflicts beijing = Reported("110000");
  ASSERT_EQ(beijing.items.size(), 1u);
  const ConflictNotice& b = beijing.items[0];
  EXPECT_EQ(b.id, g.id);
  EXPECT_EQ(b.side, "holder");
  EXPECT_EQ(b.student_number, beijing_.student_number);
  EXPECT_EQ(b.other.school_name, "天河区第一小学");
  EXPECT_EQ(b.other.grade, 3);
  EXPECT_EQ(b.other.masked_name, registry::MaskName(here_.name));

  EXPECT_TRUE(Reported("450000").items.empty());
}

TEST_P(ConflictCasesTest, TheReportReadsBackAndAMalformedOneIsABadAnswer) {
  ReportedConflicts reported = Reported("440000");
  reported.complete = false;
  auto back = ConflictsFromJson(ConflictsToJson(reported));
  ASSERT_OK(back);
  EXPECT_EQ(back->items, reported.items);
  EXPECT_FALSE(back->complete);
  for (const char* bad : {"[]", R"({"items":[]})", R"({"items":{},"complete":true})",
                          R"({"items":[{"id":1}],"complete":true})",
                          R"({"items":[{"id":"1","kind":"k","side":"s","studentNumber":"n",
                              "since":"t","other":{}}],"complete":true})"}) {
    EXPECT_THAT(ConflictsFromJson(bad), IsErrorCode("bad_answer")) << bad;
  }
}

TEST_P(ConflictCasesTest, AConflictOpensOneCaseAtTheSchoolAndCountyUntilResolved) {
  ReportedConflicts reported = Reported("440000");
  auto first = Sync(reported);
  ASSERT_OK(first);
  EXPECT_EQ(*first, (ConflictSyncReport{1, 0, 0}));
  EXPECT_EQ(CaseColumn("type"), "exchange.duplicate");
  EXPECT_EQ(CaseColumn("status"), "open");
  EXPECT_EQ(CaseColumn("subject"),
            registry::StudentSubject(province_cipher_, here_.student_number));
  EXPECT_EQ(CaseColumn("waiting_org"), kSchool1);
  const std::string details = CaseColumn("details");
  EXPECT_NE(details.find("东城区第一小学"), std::string::npos) << details;
  EXPECT_EQ(details.find(here_.student_number.substr(1)), std::string::npos) << details;
  EXPECT_NE(details.find(registry::MaskStudentNumberForRecords(here_.student_number)),
            std::string::npos)
      << details;
  EXPECT_NE(details.find("天河区第一小学"), std::string::npos) << details;
  EXPECT_EQ(details.find(beijing_.student_number.substr(1)), std::string::npos) << details;
  auto parties = CaseColumn("parties");
  EXPECT_NE(parties.find("440106"), std::string::npos) << parties;

  auto again = Sync(reported);
  ASSERT_OK(again);
  EXPECT_EQ(*again, ConflictSyncReport{});
  EXPECT_EQ(CaseColumn("COUNT(*)"), "1");

  // A list cut short says nothing of what is missing from it; a whole one does.
  auto cut = Sync({{}, false, {}});
  ASSERT_OK(cut);
  EXPECT_EQ(cut->closed, 0);
  EXPECT_EQ(CaseColumn("status"), "open");
  auto resolved = Sync({{}, true, {}});
  ASSERT_OK(resolved);
  EXPECT_EQ(*resolved, (ConflictSyncReport{0, 1, 0}));
  EXPECT_EQ(CaseColumn("status"), "cancelled");
  auto after = Sync({{}, true, {}});
  ASSERT_OK(after);
  EXPECT_EQ(after->closed, 0);
}

// The national node restored from an older backup finds the conflict again under a new id: the
// verdict this province gave on the one it forgot is taken over and told again, no new case.
TEST_P(ConflictCasesTest, AConflictFoundAgainAfterARestoreTakesOverTheVerdictGiven) {
  ReportedConflicts reported = Reported("440000");
  ASSERT_OK(Sync(reported));
  const int64_t first = reported.items[0].id;
  KeptAndReported(first);
  auto forgotten = Sync({{}, true, {}});  // the restored node reports nothing of it
  ASSERT_OK(forgotten);
  ReportedConflicts again = reported;
  again.items[0].id = first + 1;
  auto found_again = Sync(again);
  ASSERT_OK(found_again);
  EXPECT_EQ(found_again->opened, 0);
  EXPECT_EQ(CaseColumn("COUNT(*)"), "1");
  auto pending = PendingVerdicts(db());
  ASSERT_OK(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].conflict_id, first + 1);
  EXPECT_EQ((*pending)[0].verdict, "keep");

  // Another registration of the other province is another conflict: a case of its own.
  ReportedConflicts other = reported;
  other.items[0].id = first + 2;
  other.items[0].other.school_code = "2111000002";
  auto opened = Sync(other);
  ASSERT_OK(opened);
  EXPECT_EQ(opened->opened, 1);
}

// The national node restored from a backup older than a resolution: the registration given up
// here (ended, status 99) comes back to it with this province's log and is a conflict again
// under a new id. The outcome is taken over — yield, no case for the school — and the
// resolution told again ends nothing twice.
TEST_P(ConflictCasesTest, AResolutionTheNationalNodeForgotIsToldAgainWithoutAskingTheSchool) {
  ReportedConflicts reported = Reported("440000");
  ASSERT_OK(Sync(reported));
  const int64_t first = reported.items[0].id;
  KeptAndReported(first);
  // The ministry decided for 北京 (both kept): this registration ends.
  auto yielded = Sync({{}, true, {{first, "110000"}}});
  ASSERT_OK(yielded);
  EXPECT_EQ(yielded->yielded, 1);
  auto ended = province_students_->Get(registry::StudentViewer::Node(), here_.student_number);
  ASSERT_OK(ended);
  EXPECT_EQ(ended->enrolment.status, "99");
  const auto cases_after_end = CaseColumn("COUNT(*)");

  ReportedConflicts again = reported;
  again.items[0].id = first + 1;
  auto found_again = Sync(again);
  ASSERT_OK(found_again);
  EXPECT_EQ(found_again->opened, 0);
  EXPECT_EQ(CaseColumn("COUNT(*)"), cases_after_end);  // no case for the school
  auto pending = PendingVerdicts(db());
  ASSERT_OK(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].conflict_id, first + 1);
  EXPECT_EQ((*pending)[0].verdict, "yield");  // what was settled, not the verdict first given

  auto told_again = Sync({{}, true, {{first + 1, "110000"}}});
  ASSERT_OK(told_again);
  EXPECT_EQ(told_again->yielded, 1);
  auto still = province_students_->Get(registry::StudentViewer::Node(), here_.student_number);
  ASSERT_OK(still);
  EXPECT_EQ(still->version, ended->version);  // ended once
  auto cancellations = db().Read<int64_t>([&](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs,
                           c.Query("SELECT COUNT(*) FROM student_change WHERE student_id = $1 "
                                   "AND change_type = '18'",
                                   {here_.id}));
    return rs.rows.at(0).Int(0);
  });
  ASSERT_OK(cancellations);
  EXPECT_EQ(*cancellations, 1);
}

// The national node restored from a backup taken after the conflict was found but before it
// took this province's verdict (or its resolution) reports the conflict open under its id and
// without the verdict: the verdict is told again — the outcome carried out here when there was
// one — and the resolution told again ends nothing twice.
TEST_P(ConflictCasesTest, AVerdictTheNationalNodeNoLongerHoldsIsToldAgain) {
  ReportedConflicts reported = Reported("440000");
  ASSERT_OK(Sync(reported));
  const int64_t id = reported.items[0].id;
  KeptAndReported(id);
  ReportedConflicts held = reported;
  held.items[0].verdict = "keep";
  EXPECT_EQ(*Sync(held), ConflictSyncReport{});  // the national node has it: nothing to tell
  EXPECT_TRUE(PendingVerdicts(db())->empty());
  auto forgot = Sync(reported);
  ASSERT_OK(forgot);
  EXPECT_EQ(forgot->retold, 1);
  EXPECT_EQ(*PendingVerdicts(db()), (std::vector<ConflictVerdict>{{id, "keep"}}));
  ASSERT_OK(MarkVerdictsReported(db(), *PendingVerdicts(db()), "2026-03-02T00:00:00.000Z"));

  // Resolved for 北京 and carried out here; then forgotten again, resolution and all.
  ASSERT_EQ(Sync({{}, true, {{id, "110000"}}})->yielded, 1);
  auto ended = province_students_->Get(registry::StudentViewer::Node(), here_.student_number);
  ASSERT_OK(ended);
  EXPECT_EQ(ended->enrolment.status, "99");
  EXPECT_EQ(Sync(reported)->retold, 1);
  EXPECT_EQ(*PendingVerdicts(db()), (std::vector<ConflictVerdict>{{id, "yield"}}));
  ASSERT_EQ(Sync({{}, true, {{id, "110000"}}})->yielded, 1);
  auto still = province_students_->Get(registry::StudentViewer::Node(), here_.student_number);
  ASSERT_OK(still);
  EXPECT_EQ(still->version, ended->version);  // ended once
}

TEST_P(ConflictCasesTest, ANumberNoLongerHeldHereIsCountedNotOpened) {
  ReportedConflicts reported = Reported("440000");
  reported.items[0].student_number = "G" + std::string(18, '9');
  auto r = Sync(reported);
  ASSERT_OK(r);
  EXPECT_EQ(*r, (ConflictSyncReport{0, 0, 1}));
  EXPECT_EQ(CaseColumn("COUNT(*)"), "0");
}

NEMIS_STORE_TEST_SUITE(ConflictCasesTest);

}  // namespace
}  // namespace nemis::exchange
