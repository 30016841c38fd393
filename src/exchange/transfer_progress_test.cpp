// Cross-province transfers beyond the request and the verdict, on both stores (the fixture:
// transfer_testing.hpp; 广东 is the node in process, 广西 the calls its node would make):
//   - progress: 广东's sending case tells its step and deadline up when they change, once each;
//     the national node hands them to 广西 with its request's outcome and counts the transfers
//     广东 keeps past a step's deadline; 广东 receiving keeps what it is told beside its case;
//   - withdrawal: 广西 withdraws before 广东 opened a case (none opens), while 广东's case is open
//     (it closes, the child stays), and after 广东 released the child (the release stands);
//     广东 receiving: only the opener may ask, only at the other node's step, once; the
//     withdrawal goes up every round until 广西's answer closes the case here;
//   - the messages refuse malformed progress and withdrawals naming the item and field.
#include <gtest/gtest.h>

#include "exchange/transfer_testing.hpp"
#include "registry/transfer_external.hpp"

namespace nemis::exchange {
namespace {

using nemis::testing::IsErrorCode;
using testing::kNanning;
using testing::kNow;
using workflow::ApprovalCase;
using workflow::CaseAction;
using workflow::CaseStatus;

class TransferProgressTest : public testing::TransferTest {
 protected:
  // 广西 asks 广东 for `child` (its case 7), taken by the national node; 广东 hears of it.
  TransferAnswer AskedOfGuangdong(const registry::Student& child,
                                  std::vector<TransferWithdrawal> withdrawals = {}) {
    TransferPost post{{AskFor(child)}, {}, {}, std::move(withdrawals), {}};
    EXPECT_EQ(Relay("450000", post).taken.requested, 1);
    return Relay("440000").answer;
  }

  // 广东 tells the national node what it has, and marks it taken.
  RelayCounts TellNational() {
    TransferPost post = Pending();
    RelayCounts taken = Relay("440000", post).taken;
    EXPECT_OK(MarkTransferPostTaken(db(), post, kNow));
    return taken;
  }

  Result<ApprovalCase> WithdrawHere(const ApprovalCase& k, const std::string& account,
                                    const std::string& reason) {
    return db().Write<ApprovalCase>([&](db::Connection& c) -> Result<ApprovalCase> {
      NEMIS_TRY(registry::AskWithdrawal(c, k, account, reason, kNow));
      return k;
    });
  }

  registry::ExternalStanding Standing(int64_t case_id) {
    auto standing = db().Read<std::optional<registry::ExternalStanding>>(
        [&](db::Connection& c) { return registry::LoadExternalStanding(c, case_id); });
    EXPECT_OK(standing);
    return standing.ok() && *standing ? **standing : registry::ExternalStanding{};
  }

  // 广东 receiving a child of 广西: its case waits at node:45.
  ApprovalCase WaitingForGuangxi(const registry::Student& child) {
    auto opened = OpenReceivingCase(child);
    EXPECT_OK(opened);
    auto waiting = opened.ok() ? ApproveInGuangdong(*opened) : opened;
    EXPECT_OK(waiting);
    return waiting.ok() ? *waiting : ApprovalCase{};
  }
};

TEST_P(TransferProgressTest, TheSendingCaseTellsItsStepAndDeadlineWhenTheyChange) {
  const registry::Student child = HeldHere();
  const TransferAnswer told = AskedOfGuangdong(child);
  EXPECT_EQ(Sync(told), (TransferSyncReport{.opened = 1}));
  auto kase = OnlyCase();
  ASSERT_OK(kase);

  TransferPost post = Pending();
  ASSERT_EQ(post.progress.size(), 1u);
  const TransferProgress first = post.progress[0];
  EXPECT_EQ(first.id, told.incoming[0].id);
  EXPECT_EQ(first.step, 0);
  EXPECT_EQ(first.steps, 3);
  EXPECT_EQ(first.step_name, "转出校审核");
  EXPECT_EQ(first.since, kase->step_started_on.ToIso());
  EXPECT_EQ(first.due_on, kase->due_on.ToIso());
  auto read_back = PostFromJson(PostToJson(post));
  ASSERT_OK(read_back);
  EXPECT_EQ(read_back->progress, post.progress);
  EXPECT_EQ(TellNational().progress, 1);
  EXPECT_TRUE(Pending().progress.empty());  // told once

  TransferAnswer guangxi = Relay("450000").answer;
  ASSERT_EQ(guangxi.outcomes.size(), 1u);
  ASSERT_TRUE(guangxi.outcomes[0].progress.has_value());
  EXPECT_EQ(*guangxi.outcomes[0].progress, first);
  auto answer_back = AnswerFromJson(AnswerToJson(guangxi));
  ASSERT_OK(answer_back);
  EXPECT_EQ(answer_back->outcomes[0].progress, guangxi.outcomes[0].progress);

  auto next = Act("school.a", *kase, CaseAction::kApprove, ReleaseOnEnd());
  ASSERT_OK(next);
  post = Pending();
  ASSERT_EQ(post.progress.size(), 1u);
  EXPECT_EQ(post.progress[0].step, 1);
  EXPECT_EQ(post.progress[0].step_name, "转出地县级教育行政部门审核");
  EXPECT_EQ(TellNational().progress, 1);
  EXPECT_EQ(Relay("450000").answer.outcomes[0].progress->step, 1);

  // 广东 keeps the step past its deadline (told as it is): the national node counts it.
  auto on_time = TransfersByProvince(*national_, next->due_on);
  ASSERT_OK(on_time);
  EXPECT_EQ(on_time->at("440000").awaiting, 1);
  EXPECT_EQ(on_time->at("440000").overdue, 0);
  EXPECT_EQ(on_time->at("440000").awaiting_since, kNow);
  auto late =
      TransfersByProvince(*national_, Date::FromDaysSinceEpoch(next->due_on.DaysSinceEpoch() + 1));
  ASSERT_OK(late);
  EXPECT_EQ(late->at("440000").overdue, 1);

  // A progress of a transfer not asked of the province changes nothing.
  TransferProgress stray = post.progress[0];
  stray.step = 2;
  EXPECT_EQ(Relay("450000", Progressing({stray})).taken.progress, 0);
  EXPECT_EQ(Relay("450000").answer.outcomes[0].progress->step, 1);
}

TEST_P(TransferProgressTest, TheReceivingCaseKeepsTheSendingSidesProgress) {
  const registry::Student child = Register(*national_students_, 5, kNanning);
  const ApprovalCase k = WaitingForGuangxi(child);
  RelayResult up = Relay("440000", Pending());
  ASSERT_EQ(up.answer.outcomes.size(), 1u);
  EXPECT_EQ(Standing(k.id).progress, "");  // 广西 has not told any yet
  const TransferProgress progress{
      up.answer.outcomes[0].id, 1, 3, "转出县审核", "2026-03-16", "2026-03-27"};
  EXPECT_EQ(Relay("450000", Progressing({progress})).taken.progress, 1);
  EXPECT_EQ(Sync(Relay("440000").answer), TransferSyncReport{});
  auto kept = ProgressFromText(Standing(k.id).progress);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->step_name, "转出县审核");
  EXPECT_EQ(kept->due_on, "2026-03-27");
  EXPECT_EQ(Standing(k.id).state, "waiting");
}

TEST_P(TransferProgressTest, AWithdrawalBeforeTheSendingNodeHeardOfItOpensNoCase) {
  const registry::Student child = HeldHere();
  const TransferAnswer told = AskedOfGuangdong(child, {{7, "家长决定暂不转学"}});
  ASSERT_EQ(told.incoming.size(), 1u);
  EXPECT_EQ(told.incoming[0].withdrawal, "家长决定暂不转学");
  EXPECT_EQ(Sync(told), (TransferSyncReport{.closed_on_withdrawal = 1}));
  EXPECT_FALSE(OnlyCase().ok());  // no case at all
  TransferPost post = Pending();
  ASSERT_EQ(post.verdicts.size(), 1u);
  EXPECT_EQ(post.verdicts[0].verdict, "withdrawn");
  EXPECT_NE(post.verdicts[0].comment.find("家长决定暂不转学"), std::string::npos);
  EXPECT_EQ(TellNational().withdrawn, 1);

  TransferAnswer guangxi = Relay("450000").answer;
  ASSERT_EQ(guangxi.outcomes.size(), 1u);
  EXPECT_EQ(guangxi.outcomes[0].state, "withdrawn");
  EXPECT_TRUE(Relay("440000").answer.incoming.empty());
  auto still = province_students_->Get(registry::StudentViewer::Node(), child.student_number);
  ASSERT_OK(still);
  EXPECT_EQ(still->enrolment.status, "01");
}

TEST_P(TransferProgressTest, AWithdrawalClosesTheSendingCaseStillOpen) {
  const registry::Student child = HeldHere();
  EXPECT_EQ(Sync(AskedOfGuangdong(child)), (TransferSyncReport{.opened = 1}));
  auto kase = OnlyCase();
  ASSERT_OK(kase);
  auto next = Act("school.a", *kase, CaseAction::kApprove, ReleaseOnEnd());
  ASSERT_OK(next);

  RelayResult asked = Relay("450000", Withdrawing({{7, "家长决定暂不转学"}}));
  EXPECT_EQ(asked.taken.withdrawals, 1);
  EXPECT_EQ(Relay("450000", Withdrawing({{7, "再说一遍"}})).taken.withdrawals, 0);  // once
  const TransferAnswer told = Relay("440000").answer;
  ASSERT_EQ(told.incoming.size(), 1u);
  EXPECT_EQ(told.incoming[0].withdrawal, "家长决定暂不转学");
  EXPECT_EQ(Sync(told), (TransferSyncReport{.closed_on_withdrawal = 1}));
  EXPECT_EQ(Sync(told), TransferSyncReport{});  // closed once
  auto closed = cases_->Get(kase->id);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->status, CaseStatus::kCancelled);
  EXPECT_NE(closed->history.back().reason.find("家长决定暂不转学"), std::string::npos);
  // The county that was to decide can no longer approve it.
  EXPECT_THAT(Act("county.b", *next, CaseAction::kApprove, ReleaseOnEnd()),
              IsErrorCode("version_conflict"));

  TransferPost post = Pending();
  ASSERT_EQ(post.verdicts.size(), 1u);
  EXPECT_EQ(post.verdicts[0].verdict, "withdrawn");
  EXPECT_TRUE(post.progress.empty());
  EXPECT_EQ(TellNational().withdrawn, 1);
  EXPECT_EQ(Relay("450000").answer.outcomes.at(0).state, "withdrawn");
  auto still = province_students_->Get(registry::StudentViewer::Node(), child.student_number);
  ASSERT_OK(still);
  EXPECT_EQ(still->enrolment.status, "01");
  EXPECT_EQ(Changes(child.id).size(), 0u);
}

// What a clerk wrote on a transfer (a withdrawal's reason, a verdict's comment) may name the
// child: the national node keeps it sealed like the request, and still reads a row it kept in
// clear before.
TEST_P(TransferProgressTest, FreeTextIsSealedAtRestOnTheNationalNode) {
  const registry::Student child = HeldHere();
  EXPECT_EQ(Sync(AskedOfGuangdong(child)), (TransferSyncReport{.opened = 1}));
  ASSERT_EQ(Relay("450000", Withdrawing({{7, "家长决定暂不转学"}})).taken.withdrawals, 1);
  const auto stored = [this](const std::string& column) {
    auto text = national_->Read<std::string>([&](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT " + column + " FROM exchange_transfer"));
      return rs.rows.at(0).Text(0);
    });
    return text.ok() ? *text : "(unreadable)";
  };
  EXPECT_FALSE(stored("withdrawal").empty());
  EXPECT_EQ(stored("withdrawal").find("家长"), std::string::npos) << stored("withdrawal");
  const TransferAnswer told = Relay("440000").answer;
  ASSERT_EQ(told.incoming.size(), 1u);
  EXPECT_EQ(told.incoming[0].withdrawal, "家长决定暂不转学");

  EXPECT_EQ(Sync(told), (TransferSyncReport{.closed_on_withdrawal = 1}));
  EXPECT_EQ(TellNational().withdrawn, 1);
  EXPECT_EQ(stored("comment").find("家长"), std::string::npos) << stored("comment");
  const TransferAnswer outcome = Relay("450000").answer;
  ASSERT_EQ(outcome.outcomes.size(), 1u);
  EXPECT_NE(outcome.outcomes[0].comment.find("家长决定暂不转学"), std::string::npos);

  ASSERT_OK(national_->WithWriter([](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE exchange_transfer SET comment = '旧版本留下的明文'"));
    return {};
  }));
  EXPECT_EQ(Relay("450000").answer.outcomes.at(0).comment, "旧版本留下的明文");
}

// The release came first: the child left 广东, so the withdrawal cannot undo it; 广西 enrols the
// child as released (never lost).
TEST_P(TransferProgressTest, AWithdrawalAfterTheReleaseLeavesTheReleaseStanding) {
  const registry::Student other = RegisterInProvince(2);
  const registry::Student child = HeldHere();
  EXPECT_EQ(Sync(AskedOfGuangdong(child)), (TransferSyncReport{.opened = 1}));
  auto kase = OnlyCase();
  ASSERT_OK(kase);
  ASSERT_OK(ReleaseInGuangdong(*kase));
  EXPECT_EQ(TellNational().released, 1);
  RelayResult late = Relay("450000", Withdrawing({{7, "家长决定暂不转学"}}));
  EXPECT_EQ(late.taken.withdrawals, 0);
  ASSERT_EQ(late.answer.outcomes.size(), 1u);
  EXPECT_EQ(late.answer.outcomes[0].state, "released");
  EXPECT_TRUE(Relay("440000").answer.incoming.empty());

  // Told of the withdrawal before its verdict was taken, 广东 keeps the verdict too.
  EXPECT_EQ(Relay("450000", Asking({AskFor(other, 8)})).taken.requested, 1);
  EXPECT_EQ(Sync(Relay("440000").answer), (TransferSyncReport{.opened = 1}));
  auto second = OnlyCase();
  ASSERT_OK(second);
  ASSERT_OK(ReleaseInGuangdong(*second));
  EXPECT_EQ(Relay("450000", Withdrawing({{8, "家长决定暂不转学"}})).taken.withdrawals, 1);
  EXPECT_EQ(Sync(Relay("440000").answer), TransferSyncReport{});
  TransferPost post = Pending();
  ASSERT_EQ(post.verdicts.size(), 1u);
  EXPECT_EQ(post.verdicts[0].verdict, "released");
  EXPECT_EQ(TellNational().released, 1);
}

TEST_P(TransferProgressTest, TheReceivingSchoolAsksToWithdrawOnceAndTheOtherNodeClosesIt) {
  const registry::Student child = Register(*national_students_, 5, kNanning);
  auto opened = OpenReceivingCase(child);
  ASSERT_OK(opened);
  EXPECT_THAT(WithdrawHere(*opened, "liwan.registrar", "家长决定暂不转学"),
              IsErrorCode("not_at_other_node"));  // still here: cancelled instead
  auto waiting = ApproveInGuangdong(*opened);
  ASSERT_OK(waiting);
  const ApprovalCase k = *waiting;
  EXPECT_EQ(WithdrawHere(k, "liwan.county", "家长决定暂不转学").error().kind,
            ErrorKind::kForbidden);
  auto no_reason = WithdrawHere(k, "liwan.registrar", "");
  ASSERT_FALSE(no_reason.ok());
  ASSERT_EQ(no_reason.error().fields.size(), 1u);
  EXPECT_EQ(no_reason.error().fields[0].field, "reason");
  EXPECT_THAT(WithdrawHere(k, "liwan.registrar", std::string(201, 'x')),
              IsErrorCode("validation_failed"));
  ASSERT_OK(WithdrawHere(k, "liwan.registrar", "家长决定暂不转学"));
  EXPECT_THAT(WithdrawHere(k, "liwan.registrar", "家长决定暂不转学"),
              IsErrorCode("withdrawal_asked"));
  const registry::ExternalStanding asked = Standing(k.id);
  EXPECT_EQ(asked.withdrawal, "家长决定暂不转学");
  EXPECT_EQ(asked.withdrawal_asked_by, "liwan.registrar");
  EXPECT_EQ(asked.withdrawal_asked_at, kNow);

  // Request and withdrawal go up together, and again every round until 广西 answers.
  TransferPost post = Pending();
  ASSERT_EQ(post.requests.size(), 1u);
  EXPECT_EQ(post.withdrawals, (std::vector<TransferWithdrawal>{{k.id, "家长决定暂不转学"}}));
  RelayResult up = Relay("440000", post);
  EXPECT_EQ(up.taken.requested, 1);
  EXPECT_EQ(up.taken.withdrawals, 1);
  EXPECT_EQ(Sync(up.answer), TransferSyncReport{});
  EXPECT_EQ(Pending().withdrawals.size(), 1u);

  TransferAnswer guangxi = Relay("450000").answer;
  ASSERT_EQ(guangxi.incoming.size(), 1u);
  EXPECT_EQ(guangxi.incoming[0].withdrawal, "家长决定暂不转学");
  const int64_t id = guangxi.incoming[0].id;
  EXPECT_EQ(Relay("450000", Telling({{id, "withdrawn", "转入方撤回了转学申请：家长决定暂不转学",
                                      std::nullopt, guangxi.incoming[0].since}}))
                .taken.withdrawn,
            1);
  const TransferAnswer answer = Relay("440000").answer;
  EXPECT_EQ(Sync(answer), (TransferSyncReport{.withdrawn = 1}));
  EXPECT_EQ(Sync(answer), TransferSyncReport{});
  auto closed = cases_->Get(k.id);
  ASSERT_OK(closed);
  EXPECT_EQ(closed->status, CaseStatus::kCancelled);
  EXPECT_EQ(closed->history.back().actor, "node:45");
  EXPECT_EQ(Standing(k.id).state, "withdrawn");
  EXPECT_TRUE(Pending().empty());
  EXPECT_FALSE(province_students_->Get(registry::StudentViewer::Node(), child.student_number).ok());
}

TEST(TransferMessagesTest, MalformedProgressAndWithdrawalsAreRefusedNamingTheItem) {
  auto field_of = [](std::string_view body) {
    auto post = PostFromJson(body);
    return post.ok() || post.error().fields.empty() ? std::string() : post.error().fields[0].field;
  };
  EXPECT_EQ(field_of(R"({"withdrawals":[{"caseId":7,"reason":""}]})"), "withdrawals[0].reason");
  EXPECT_EQ(field_of(R"({"withdrawals":[{"reason":"x"}]})"), "withdrawals[0].caseId");
  const std::string ok_progress =
      R"({"id":1,"step":0,"steps":3,"stepName":"转出校审核","since":"2026-03-16","dueOn":"2026-03-27"})";
  EXPECT_EQ(field_of("{\"progress\":[" + ok_progress + "]}"), "");
  EXPECT_EQ(
      field_of(
          R"({"progress":[{"id":1,"step":3,"steps":3,"stepName":"x","since":"2026-03-16","dueOn":"2026-03-27"}]})"),
      "progress[0].step");
  EXPECT_EQ(
      field_of(
          R"({"progress":[{"id":1,"step":0,"steps":3,"stepName":"x","since":"2026-03-16","dueOn":"2026-02-30"}]})"),
      "progress[0].dueOn");
  EXPECT_EQ(
      field_of(
          R"({"progress":[{"id":1,"step":0,"steps":3,"stepName":"","since":"2026-03-16","dueOn":"2026-03-27"}]})"),
      "progress[0].stepName");
  EXPECT_EQ(field_of(R"({"verdicts":[{"id":1,"verdict":"lost"}]})"), "verdicts[0].verdict");
  EXPECT_THAT(
      AnswerFromJson(
          R"({"incoming":[],"outcomes":[{"id":1,"caseId":7,"state":"requested","comment":"","progress":{"step":0}}]})"),
      IsErrorCode("bad_answer"));
  EXPECT_THAT(ProgressFromText("not json"), IsErrorCode("validation_failed"));
}

NEMIS_STORE_TEST_SUITE(TransferProgressTest);

}  // namespace
}  // namespace nemis::exchange
