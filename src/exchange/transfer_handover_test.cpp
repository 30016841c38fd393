// Cross-province transfers through the national node, on both stores, the national node and
// one province's node in process (the other province's side given as the calls it would make):
//   - 广东 (440000) sending: a request from 广西 (450000) for a child it holds is checked on the
//     national copy and taken once; 广东's node opens one transfer.external_out case at the
//     child's school, county and province showing no number or name; the case approved
//     releases the child (status 10, a 21 change naming the receiving school) in the same
//     transaction and the released verdict carries its record; the national node hands the
//     record to 广西 and, told of the enrolment, completes the transfer and drops it;
//   - refusals: a name that does not match, a second transfer of the same child, a child the
//     receiving province registered too (a conflict not settled), a verdict from a province not
//     asked, a release of another child, a child not in school here, a case rejected (its reason
//     goes back);
//   - 广东 receiving a child of 广西: its case waits at node:45 after its county and province,
//     cannot be withdrawn there, its request goes up once; released, the child is enrolled
//     here under the same number (01, a 22 change) and the case approved by node:45 in one go,
//     the completion reported; an answer seen again enrols no one twice; the national copy
//     follows the child when 广东's change arrives, with no conflict.
#include "exchange/transfer_handover.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "exchange/replica_digest.hpp"
#include "exchange/transfer_testing.hpp"
#include "registry/personal_mask.hpp"
#include "registry/status_change.hpp"
#include "registry/student_replica.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;
using testing::kSchool1;
using testing::kSchool2;
using workflow::ApprovalCase;
using workflow::CaseAction;
using workflow::CaseStatus;

using testing::kNanning;
using testing::kNow;

class TransferHandoverTest : public testing::TransferTest {};

TEST_P(TransferHandoverTest, TheSendingProvinceReleasesTheChildThroughItsOwnCase) {
  const registry::Student child = HeldHere();
  RelayResult asked = Relay("450000", Asking({AskFor(child)}));
  EXPECT_EQ(asked.taken.requested, 1);
  ASSERT_EQ(asked.answer.outcomes.size(), 1u);
  EXPECT_EQ(asked.answer.outcomes[0].case_id, 7);
  EXPECT_EQ(asked.answer.outcomes[0].state, "requested");
  EXPECT_EQ(Relay("450000", Asking({AskFor(child)})).taken.requested, 0);  // taken once
  auto by_province = TransfersByProvince(*national_, clock_.TodayInChina());
  ASSERT_OK(by_province);
  EXPECT_EQ(by_province->at("440000").awaiting, 1);  // for 广东 to decide

  TransferAnswer told = Relay("440000").answer;
  ASSERT_EQ(told.incoming.size(), 1u);
  EXPECT_EQ(told.incoming[0].to_province, "450000");
  EXPECT_EQ(told.incoming[0].ask.student_number, child.student_number);
  EXPECT_EQ(told.incoming[0].ask.to_school, kNanning);
  auto back = AnswerFromJson(AnswerToJson(told));
  ASSERT_OK(back);
  EXPECT_EQ(back->incoming[0].ask, told.incoming[0].ask);

  EXPECT_EQ(Sync(told), (TransferSyncReport{.opened = 1}));
  EXPECT_EQ(Sync(told), TransferSyncReport{});  // one case however often it is told
  auto kase = OnlyCase();
  ASSERT_OK(kase);
  EXPECT_EQ(kase->type, kTransferOutCaseType);
  EXPECT_EQ(kase->parties, (std::map<std::string, std::string>{{"sending_school", kSchool1},
                                                               {"sending_county", "440106"},
                                                               {"sending_province", "440000"}}));
  EXPECT_EQ(kase->details.find(child.name), std::string::npos) << kase->details;
  EXPECT_EQ(kase->details.find(child.student_number), std::string::npos) << kase->details;
  EXPECT_NE(kase->details.find("南宁市第一小学（广西壮族自治区）"), std::string::npos);
  EXPECT_TRUE(Pending().verdicts.empty());  // undecided

  auto released = ReleaseInGuangdong(*kase);
  ASSERT_OK(released);
  const ApprovalCase k = *released;
  EXPECT_EQ(k.status, CaseStatus::kApproved);
  auto left = province_students_->Get(registry::StudentViewer::Node(), child.student_number);
  ASSERT_OK(left);
  EXPECT_EQ(left->enrolment.status, "10");
  const auto changes = Changes(child.id);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().type, "21");
  EXPECT_EQ(changes.back().to_school, kNanning);
  EXPECT_EQ(changes.back().case_id, k.id);

  TransferPost verdicts = Pending();
  ASSERT_EQ(verdicts.verdicts.size(), 1u);
  EXPECT_EQ(verdicts.verdicts[0].verdict, "released");
  ASSERT_TRUE(verdicts.verdicts[0].student.has_value());
  EXPECT_EQ(verdicts.verdicts[0].student->student_number, child.student_number);
  auto read_back = PostFromJson(PostToJson(verdicts));
  ASSERT_OK(read_back);
  EXPECT_FALSE(read_back->verdicts[0].student->address.has_value());  // contact details stay
  EXPECT_EQ(Relay("440000", *read_back).taken.released, 1);
  ASSERT_OK(MarkTransferPostTaken(db(), verdicts, kNow));
  EXPECT_TRUE(Pending().verdicts.empty());

  by_province = TransfersByProvince(*national_, clock_.TodayInChina());
  ASSERT_OK(by_province);
  EXPECT_EQ(by_province->at("450000").in_transit, 1);  // released to 广西, not yet enrolled
  EXPECT_EQ(by_province->at("450000").in_transit_since, kNow);
  EXPECT_FALSE(by_province->contains("440000"));

  TransferAnswer receiving = Relay("450000").answer;
  ASSERT_EQ(receiving.outcomes.size(), 1u);
  EXPECT_EQ(receiving.outcomes[0].state, "released");
  ASSERT_TRUE(receiving.outcomes[0].student.has_value());
  EXPECT_EQ(receiving.outcomes[0].student->name, child.name);
  EXPECT_EQ(Relay("450000", Completing({receiving.outcomes[0].id})).taken.completed, 1);
  EXPECT_TRUE(Relay("450000").answer.outcomes.empty());
  by_province = TransfersByProvince(*national_, clock_.TodayInChina());
  ASSERT_OK(by_province);
  EXPECT_TRUE(by_province->empty());
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM exchange_transfer WHERE record IS NOT NULL"),
            0);

  auto digest = DigestProvince(db(), province_cipher_, "440000");
  ASSERT_OK(digest);
  EXPECT_EQ(digest->students, 0);  // the national copy follows the child to 广西
}

TEST_P(TransferHandoverTest, RequestsAndVerdictsThatDoNotHoldAreRefusedSayingWhy) {
  const registry::Student child = HeldHere();
  TransferAsk wrong_name = AskFor(child, 1);
  wrong_name.name = "王小明";
  TransferAsk first = AskFor(child, 2), second = AskFor(child, 3);
  RelayResult r = Relay("450000", Asking({wrong_name, first, second}));
  EXPECT_EQ(r.taken.requested, 1);
  EXPECT_EQ(r.taken.refused_at_once, 2);
  ASSERT_EQ(r.answer.outcomes.size(), 3u);
  EXPECT_EQ(r.answer.outcomes[0].state, "refused");
  EXPECT_NE(r.answer.outcomes[0].comment.find("国家节点未找到"), std::string::npos);
  EXPECT_NE(r.answer.outcomes[2].comment.find("已有在办"), std::string::npos);
  const int64_t id = r.answer.outcomes[1].id;

  // A verdict from a province not asked (or on a transfer unknown here) changes nothing and
  // holds up nothing else.
  TransferVerdict not_asked{id, "refused", "x", std::nullopt, ""};
  TransferVerdict unknown{id + 1000, "refused", "x", std::nullopt, ""};
  RelayResult ignored = Relay("450000", Telling({not_asked, unknown}));
  EXPECT_EQ(ignored.taken.unknown, 2);
  EXPECT_EQ(ignored.taken.refused, 0);
  // Not the request the province was told of (the id taken again after a restore).
  TransferVerdict other_request{id, "refused", "x", std::nullopt, "2020-01-01T00:00:00.000Z"};
  EXPECT_EQ(Relay("440000", Telling({other_request})).taken.unknown, 1);
  registry::Student other = child;
  other.student_number = "G110101201701010019";
  TransferVerdict wrong_child{id, "released", "", other, ""};
  EXPECT_THAT(RelayTransfers(*national_, national_cipher_, "440000", Telling({wrong_child}), kNow),
              IsErrorCode("validation_failed"));
  EXPECT_THAT(PostFromJson(R"({"verdicts":[{"id":1,"verdict":"released"}]})"),
              IsErrorCode("validation_failed"));
  EXPECT_THAT(PostFromJson(R"({"requests":[{"caseId":1,"grade":3}]})"),
              IsErrorCode("validation_failed"));

  // Told of two: one for a name not held here (refused at once), one for the child, which
  // its school rejects.
  TransferAnswer told = Relay("440000").answer;
  ASSERT_EQ(told.incoming.size(), 1u);
  told.incoming.push_back(told.incoming[0]);
  told.incoming[1].id = id + 100;
  told.incoming[1].ask.name = "王小明";
  EXPECT_EQ(Sync(told), (TransferSyncReport{.opened = 1, .refused_here = 1}));
  auto kase = OnlyCase();
  ASSERT_OK(kase);
  ASSERT_OK(Act("school.a", *kase, CaseAction::kReject, ReleaseOnEnd(), "该生仍在本校就读"));
  TransferPost verdicts = Pending();
  ASSERT_EQ(verdicts.verdicts.size(), 2u);
  EXPECT_EQ(verdicts.verdicts[0].verdict, "refused");
  EXPECT_NE(verdicts.verdicts[0].comment.find("该生仍在本校就读"), std::string::npos);
  EXPECT_NE(verdicts.verdicts[1].comment.find("未找到"), std::string::npos);
  EXPECT_EQ(Relay("440000", Telling({verdicts.verdicts[0]})).taken.refused, 1);
  auto still = province_students_->Get(registry::StudentViewer::Node(), child.student_number);
  ASSERT_OK(still);
  EXPECT_EQ(still->enrolment.status, "01");
  TransferAnswer receiving = Relay("450000").answer;
  ASSERT_EQ(receiving.outcomes.size(), 3u);
  EXPECT_EQ(receiving.outcomes[1].state, "refused");
}

TEST_P(TransferHandoverTest, TheReceivingProvinceEnrolsTheChildOnceReleased) {
  // 广西's child, as the national node holds it.
  const registry::Student child = Register(*national_students_, 5, kNanning);
  auto opened = OpenReceivingCase(child);
  ASSERT_OK(opened);
  EXPECT_TRUE(Pending().requests.empty());  // not before its county and province
  auto approved = ApproveInGuangdong(*opened);
  ASSERT_OK(approved);
  const ApprovalCase k = *approved;
  EXPECT_THAT(Act("liwan.registrar", k, CaseAction::kCancel, ReceivingEnd(), "不转了"),
              IsErrorCode("transfer_at_other_node"));
  TransferPost post = Pending();
  ASSERT_EQ(post.requests.size(), 1u);
  EXPECT_EQ(post.requests[0].from_province, "450000");
  EXPECT_EQ(post.requests[0].student_number, child.student_number);
  EXPECT_EQ(post.requests[0].to_school, kSchool2);
  EXPECT_EQ(post.requests[0].grade, 3);
  RelayResult up = Relay("440000", post);
  EXPECT_EQ(up.taken.requested, 1);
  EXPECT_EQ(Sync(up.answer), TransferSyncReport{});
  EXPECT_TRUE(Pending().requests.empty());  // the national node has it

  // 广西 releases the child (its record as it left).
  registry::Student released = child;
  released.enrolment.status = "10";
  const int64_t id = up.answer.outcomes.at(0).id;
  EXPECT_EQ(Relay("450000", Telling({{id, "released", "", released, ""}})).taken.released, 1);
  TransferAnswer answer = Relay("440000").answer;
  EXPECT_EQ(Sync(answer), (TransferSyncReport{.enrolled = 1}));
  EXPECT_EQ(Sync(answer), TransferSyncReport{});  // never twice

  auto kase = cases_->Get(k.id);
  ASSERT_OK(kase);
  EXPECT_EQ(kase->status, CaseStatus::kApproved);
  EXPECT_EQ(kase->history.back().actor, "node:45");
  auto here = province_students_->Get(registry::StudentViewer::Node(), child.student_number);
  ASSERT_OK(here);
  EXPECT_EQ(here->enrolment.school_code, kSchool2);
  EXPECT_EQ(here->enrolment.status, "01");
  EXPECT_EQ(here->enrolment.class_no, "05");
  const auto changes = Changes(here->id);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].type, "22");
  EXPECT_EQ(changes[0].from_school, kNanning);
  EXPECT_EQ(changes[0].status_before, "10");

  TransferPost done = Pending();
  EXPECT_EQ(done.completions, (std::vector<int64_t>{id}));
  EXPECT_EQ(Relay("440000", done).taken.completed, 1);
  ASSERT_OK(MarkTransferPostTaken(db(), done, kNow));
  EXPECT_TRUE(Pending().empty());

  // 广东's change reaches the national node: its copy is 广东's now, and no conflict.
  auto applied = ApplyBatch(*national_, national_cipher_, NextBatch(0));
  ASSERT_OK(applied);
  EXPECT_EQ(applied->conflicts, 0);
  EXPECT_EQ(Count(*national_, "SELECT COUNT(*) FROM exchange_conflict"), 0);
  auto national_copy =
      national_students_->Get(registry::StudentViewer::Node(), child.student_number);
  ASSERT_OK(national_copy);
  EXPECT_EQ(national_copy->enrolment.province_code, "440000");
  EXPECT_EQ(national_copy->enrolment.school_code, kSchool2);
}

// The receiving province registered the same child under another number (a conflict on the
// national node): the transfer is refused at once until the conflict is settled.
TEST_P(TransferHandoverTest, AChildTheReceivingProvinceAlsoRegisteredIsRefusedAtOnce) {
  const registry::Student child = Register(*national_students_, 1, kNanning, /*temporary=*/true);
  RegisterInProvince(1);  // 广东's own registration of the child (the same document)
  auto applied = ApplyBatch(*national_, national_cipher_, NextBatch(0));
  ASSERT_OK(applied);
  ASSERT_EQ(applied->conflicts, 1);
  TransferAsk ask{9, "450000", child.student_number, child.name,  kSchool2, "荔湾区第一小学",
                  3, "05",     "随父母工作调动",     "2026-03-20"};
  RelayResult r = Relay("440000", Asking({ask}));
  EXPECT_EQ(r.taken.refused_at_once, 1);
  ASSERT_EQ(r.answer.outcomes.size(), 1u);
  EXPECT_NE(r.answer.outcomes[0].comment.find("跨省重复学籍核查未办结"), std::string::npos)
      << r.answer.outcomes[0].comment;
  EXPECT_TRUE(Relay("450000").answer.incoming.empty());
}

NEMIS_STORE_TEST_SUITE(TransferHandoverTest);

}  // namespace
}  // namespace nemis::exchange
