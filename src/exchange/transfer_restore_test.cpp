// Cross-province transfers through a national node restored from an older backup, on both
// stores (the national node and 广东's node in process, 广西's calls given; the restore is the
// national node's transfer rows put back as the backup held them). What the national node
// forgot, the provinces tell it again, and no child is left registered nowhere:
//   - sending (广东): a transfer it decided is asked about again: the verdict goes again; a
//     transfer of a child it released is asked anew (the first request forgotten): released
//     again at once, no second case, the record as the child left; asked for another school,
//     refused (not in school here);
//   - receiving (广东): its request forgotten: asked again, taken as a new transfer, the child
//     enrolled once; its enrolment forgotten (the release shown again): reported again, nobody
//     enrolled twice.
// The national node's transfer ids are random: one restored never gives a forgotten id again.
#include <gtest/gtest.h>

#include "exchange/transfer_testing.hpp"

namespace nemis::exchange {
namespace {

using testing::kNanning;
using testing::kNow;
using testing::kSchool2;
using workflow::ApprovalCase;
using workflow::CaseAction;
using workflow::CaseStatus;

class TransferRestoreTest : public testing::TransferTest {
 protected:
  // The national node's transfer rows as a backup held them (SQL on its store).
  void RestoreNational(const std::string& sql) {
    ASSERT_OK(national_->WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query(sql));
      return {};
    }));
  }

  std::string Text(db::Database& d, const std::string& sql) {
    auto text = d.Read<std::string>([&](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      return rs.rows.empty() ? std::string() : rs.rows[0].Text(0);
    });
    EXPECT_OK(text);
    return text.ok() ? *text : "";
  }

  // 广东 releases the child for the transfer it is told of: its three approvals.
  void ReleaseHere() {
    ASSERT_EQ(Sync(Relay("440000").answer).opened, 1);
    auto kase = OnlyCase();
    ASSERT_OK(kase);
    auto released = ReleaseInGuangdong(*kase);
    ASSERT_OK(released);
    ASSERT_EQ(released->status, CaseStatus::kApproved);
    TransferPost verdicts = Pending();
    ASSERT_EQ(Relay("440000", verdicts).taken.released, 1);
    ASSERT_OK(MarkTransferPostTaken(db(), verdicts, kNow));
  }
};

TEST_P(TransferRestoreTest, TheSendingProvinceTellsItsVerdictAgainAndReleasesAgain) {
  const registry::Student child = HeldHere();
  RelayResult asked = Relay("450000", Asking({AskFor(child)}));
  ASSERT_EQ(asked.answer.outcomes.size(), 1u);
  const int64_t first = asked.answer.outcomes[0].id;
  EXPECT_GE(first, int64_t{1} << 32);  // random, not the next number
  ReleaseHere();
  if (HasFatalFailure()) return;
  EXPECT_TRUE(Pending().empty());

  // 1. Restored to when the request was undecided: 广东 is asked again and tells its verdict.
  RestoreNational("UPDATE exchange_transfer SET state = 'requested', record = NULL");
  TransferAnswer again = Relay("440000").answer;
  ASSERT_EQ(again.incoming.size(), 1u);
  EXPECT_EQ(Sync(again), (TransferSyncReport{.retold = 1}));
  TransferPost retold = Pending();
  ASSERT_EQ(retold.verdicts.size(), 1u);
  EXPECT_EQ(retold.verdicts[0].id, first);
  EXPECT_EQ(retold.verdicts[0].verdict, "released");
  ASSERT_TRUE(retold.verdicts[0].student.has_value());
  EXPECT_EQ(retold.verdicts[0].student->enrolment.status, "10");
  EXPECT_EQ(Relay("440000", retold).taken.released, 1);
  ASSERT_OK(MarkTransferPostTaken(db(), retold, kNow));
  EXPECT_EQ(Relay("450000").answer.outcomes.at(0).state, "released");

  // 2. Restored to before the request: 广西 asks again; 广东 releases the child again at once.
  RestoreNational("DELETE FROM exchange_transfer");
  RelayResult anew = Relay("450000", Asking({AskFor(child)}));
  ASSERT_EQ(anew.taken.requested, 1);
  const int64_t second = anew.answer.outcomes.at(0).id;
  EXPECT_NE(second, first);
  EXPECT_EQ(Sync(Relay("440000").answer), (TransferSyncReport{.retold = 1}));
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM wf_case"), 1);  // no second case
  TransferPost released = Pending();
  ASSERT_EQ(released.verdicts.size(), 1u);
  EXPECT_EQ(released.verdicts[0].id, second);
  EXPECT_EQ(released.verdicts[0].verdict, "released");
  EXPECT_EQ(released.verdicts[0].student->student_number, child.student_number);
  EXPECT_EQ(Relay("440000", released).taken.released, 1);
  ASSERT_OK(MarkTransferPostTaken(db(), released, kNow));
  ASSERT_EQ(Relay("450000").answer.outcomes.size(), 1u);
  EXPECT_EQ(Relay("450000").answer.outcomes[0].state, "released");

  // 3. Asked for the child for another school: it left for 南宁, not there; refused.
  RestoreNational("DELETE FROM exchange_transfer");
  TransferAsk elsewhere = AskFor(child, 8);
  elsewhere.to_school = "2145000002";
  ASSERT_EQ(Relay("450000", Asking({elsewhere})).taken.requested, 1);
  EXPECT_EQ(Sync(Relay("440000").answer), (TransferSyncReport{.refused_here = 1}));
  TransferPost refused = Pending();
  ASSERT_EQ(refused.verdicts.size(), 1u);
  EXPECT_EQ(refused.verdicts[0].verdict, "refused");
  EXPECT_NE(refused.verdicts[0].comment.find("不在读"), std::string::npos)
      << refused.verdicts[0].comment;
}

TEST_P(TransferRestoreTest, TheReceivingProvinceAsksAgainAndReportsItsEnrolmentAgain) {
  const registry::Student child = Register(*national_students_, 5, kNanning);
  auto opened = OpenReceivingCase(child);
  ASSERT_OK(opened);
  auto approved = ApproveInGuangdong(*opened);
  ASSERT_OK(approved);
  const ApprovalCase k = *approved;
  RelayResult up = Relay("440000", Pending());
  ASSERT_EQ(up.taken.requested, 1);
  EXPECT_EQ(Sync(up.answer), TransferSyncReport{});
  const int64_t first = up.answer.outcomes.at(0).id;

  // 1. Restored to before the request: 广东 sees its request gone and asks again.
  RestoreNational("DELETE FROM exchange_transfer");
  EXPECT_EQ(Sync(Relay("440000").answer), (TransferSyncReport{.retold = 1}));
  TransferPost asked_again = Pending();
  ASSERT_EQ(asked_again.requests.size(), 1u);
  EXPECT_EQ(asked_again.requests[0].case_id, k.id);
  RelayResult retaken = Relay("440000", asked_again);
  ASSERT_EQ(retaken.taken.requested, 1);
  EXPECT_EQ(Sync(retaken.answer), TransferSyncReport{});
  const int64_t second = retaken.answer.outcomes.at(0).id;
  EXPECT_NE(second, first);
  EXPECT_TRUE(Pending().requests.empty());

  // 广西 releases the child for the request it was told of; 广东 enrols it and reports it.
  registry::Student released = child;
  released.enrolment.status = "10";
  ASSERT_EQ(Relay("450000", Telling({{second, "released", "", released, ""}})).taken.released, 1);
  const std::string kept = Text(*national_, "SELECT record FROM exchange_transfer");
  EXPECT_EQ(Sync(Relay("440000").answer), (TransferSyncReport{.enrolled = 1}));
  TransferPost done = Pending();
  EXPECT_EQ(done.completions, (std::vector<int64_t>{second}));
  ASSERT_EQ(Relay("440000", done).taken.completed, 1);
  ASSERT_OK(MarkTransferPostTaken(db(), done, kNow));

  // 2. Restored to before the enrolment was reported: the release is shown again; nobody is
  // enrolled twice, and the completion goes again.
  ASSERT_OK(national_->WithWriter([&](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE exchange_transfer SET state = 'released', record = $1", {kept}));
    return {};
  }));
  EXPECT_EQ(Sync(Relay("440000").answer), (TransferSyncReport{.retold = 1}));
  EXPECT_EQ(Pending().completions, (std::vector<int64_t>{second}));
  EXPECT_EQ(Relay("440000", Pending()).taken.completed, 1);
  auto here = province_students_->Get(registry::StudentViewer::Node(), child.student_number);
  ASSERT_OK(here);
  EXPECT_EQ(here->enrolment.school_code, kSchool2);
  EXPECT_EQ(Changes(here->id).size(), 1u);  // one 22 change: enrolled once
  EXPECT_EQ(cases_->Get(k.id)->status, CaseStatus::kApproved);
}

// A province that did not hear a refusal within the 30 days it is answered (its node down that
// long) sees its request gone from the answer and asks again: the refusal is told again, and
// the province asks no more.
TEST_P(TransferRestoreTest, ARefusalHeardOfNoLongerIsToldAgainWhenAskedAgain) {
  const registry::Student child = HeldHere();
  TransferAsk wrong = AskFor(child, 9);
  wrong.name = "王小明";
  ASSERT_EQ(Relay("450000", Asking({wrong})).taken.refused_at_once, 1);
  const std::string later = "2026-05-01T00:00:00.000Z";  // 47 days on
  auto forgotten = RelayTransfers(*national_, national_cipher_, "450000", {}, later);
  ASSERT_OK(forgotten);
  EXPECT_TRUE(forgotten->answer.outcomes.empty());
  auto again = RelayTransfers(*national_, national_cipher_, "450000", Asking({wrong}), later);
  ASSERT_OK(again);
  EXPECT_EQ(again->taken.requested + again->taken.refused_at_once, 0);  // no second transfer
  ASSERT_EQ(again->answer.outcomes.size(), 1u);
  EXPECT_EQ(again->answer.outcomes[0].state, "refused");
  EXPECT_EQ(again->answer.outcomes[0].case_id, 9);
}

NEMIS_STORE_TEST_SUITE(TransferRestoreTest);

}  // namespace
}  // namespace nemis::exchange
