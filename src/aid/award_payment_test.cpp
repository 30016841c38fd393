// Paying awards on both stores, against a finance department played by the test: what each
// payment carries, batches of the size asked, each answer kept (paid with its voucher,
// refused with its reason, 处理中 sent again); a run cut short after finance paid is run again
// under the same payment ids and nothing is paid twice; answers about payments not sent or
// repeated are not kept, an unknown result stops the run; a student without a resident ID is
// skipped; the scope and the school year choose what is sent.
#include "aid/award_payment.hpp"

#include <gtest/gtest.h>

#include <map>

#include "aid/aid_testing.hpp"

namespace nemis::aid {
namespace {

using registry::Student;
using registry::number_testing::kSchool2;

// Finance: pays a payment id once, to the accounts it knows (ID → name).
class FakeFinance {
 public:
  std::map<std::string, std::string> accounts;
  std::map<std::string, AidPaymentResult> answered;  // by payment id
  std::vector<std::vector<AidPayment>> requests;
  int paid = 0;
  bool pending_first = false;  // 处理中 the first time a payment is seen
  int fail_on_request = 0;     // 1-based: pays, then the answer is lost
  std::function<void(std::vector<AidPaymentResult>&)> bend;

  PayAwards Pay() {
    return [this](std::span<const AidPayment> payments) -> Result<std::vector<AidPaymentResult>> {
      requests.emplace_back(payments.begin(), payments.end());
      std::vector<AidPaymentResult> out;
      for (const AidPayment& p : payments) out.push_back(Answer(p));
      if (static_cast<int>(requests.size()) == fail_on_request)
        return Error{ErrorKind::kUnavailable, "peer_unavailable", "超时", {}};
      if (bend) bend(out);
      return out;
    };
  }

 private:
  AidPaymentResult Answer(const AidPayment& p) {
    auto seen = answered.find(p.payment_id);
    if (seen != answered.end() && seen->second.result != "处理中") return seen->second;
    if (seen == answered.end() && pending_first)
      return answered[p.payment_id] = {p.payment_id, "处理中", "", ""};
    auto account = accounts.find(p.id_number);
    AidPaymentResult r{p.payment_id, "未发放", "", ""};
    if (account == accounts.end())
      r.reason = "无有效一卡通账户";
    else if (account->second != p.name)
      r.reason = "姓名与账户不符";
    else
      r = {p.payment_id, "已发放", "CZ" + std::to_string(++paid), ""};
    return answered[p.payment_id] = r;
  }
};

class AwardPaymentTest : public testing::AidTest {
 protected:
  PaymentRunReport Pay(FakeFinance& finance, const org::Scope& scope = org::Scope::Everything(),
                       std::optional<int> year = std::nullopt) {
    PaymentRunOptions options;
    options.batch = 2;
    options.school_year = year;
    options.now = "2026-12-07T03:00:00.000Z";
    return SendAwardsForPayment(db(), cipher_, scope, finance.Pay(), options);
  }

  void List(const std::vector<std::string>& rows) {
    auto r = Keep(ListFile(rows));
    ASSERT_OK(r);
    ASSERT_TRUE(r->errors.empty()) << r->errors[0].message;
  }
};

TEST_P(AwardPaymentTest, SendsWhatFinanceNeedsAndKeepsEachAnswer) {
  Student a = Enrol(1, false), b = Enrol(2, false), c = EnrolSenior(3);
  List({Row(a, "02", "2026", "1000"), Row(b, "02", "2026", "500"), Row(c, "03", "2026", "1500")});
  FakeFinance finance;
  finance.accounts = {{*a.id_number, a.name}, {*c.id_number, "王大三"}};
  auto r = Pay(finance);
  ASSERT_OK(r.stopped);
  EXPECT_EQ(r.sent, 3);
  EXPECT_EQ(r.paid, 1);
  EXPECT_EQ(r.refused, 2);
  EXPECT_EQ(r.pending + r.unanswered + r.skipped, 0);
  ASSERT_EQ(finance.requests.size(), 2u);  // batches of 2
  EXPECT_EQ(finance.requests[0].size(), 2u);

  const AidPayment& p = finance.requests[1][0];
  EXPECT_EQ(p.payment_id, AwardText(c, "payment_id"));
  EXPECT_EQ(p.id_number, *c.id_number);
  EXPECT_EQ(p.name, c.name);
  EXPECT_EQ(p.programme, "03");
  EXPECT_EQ(p.programme_name, "普通高中国家助学金");
  EXPECT_EQ(p.school_year, 2026);
  EXPECT_EQ(p.amount_fen, 150000);
  EXPECT_EQ(p.school_code, testing::kSenior);

  EXPECT_EQ(AwardText(a, "status"), "paid");
  EXPECT_EQ(AwardText(a, "reference"), "CZ1");
  EXPECT_EQ(AwardText(a, "settled_at"), "2026-12-07T03:00:00.000Z");
  EXPECT_EQ(AwardText(a, "sent_at"), "2026-12-07T03:00:00.000Z");
  EXPECT_EQ(AwardText(b, "status"), "refused");
  EXPECT_EQ(AwardText(b, "reason"), "无有效一卡通账户");
  EXPECT_EQ(AwardText(c, "reason"), "姓名与账户不符");

  // Nothing is left to send.
  finance.requests.clear();
  auto again = Pay(finance);
  ASSERT_OK(again.stopped);
  EXPECT_EQ(again.sent, 0);
  EXPECT_TRUE(finance.requests.empty());
}

TEST_P(AwardPaymentTest, ARunCutShortIsRunAgainAndNothingIsPaidTwice) {
  Student a = Enrol(1, false), b = Enrol(2, false), c = Enrol(3, false);
  List({Row(a, "02", "2026", "100"), Row(b, "02", "2026", "100"), Row(c, "02", "2026", "100")});
  FakeFinance finance;
  finance.accounts = {{*a.id_number, a.name}, {*b.id_number, b.name}, {*c.id_number, c.name}};
  finance.fail_on_request = 1;  // finance paid a and b; the answer never came
  auto r = Pay(finance);
  EXPECT_THAT(r.stopped, nemis::testing::IsErrorCode("peer_unavailable"));
  EXPECT_EQ(r.sent, 2);
  EXPECT_EQ(finance.paid, 2);
  EXPECT_EQ(AwardText(a, "status"), "sent");  // cannot be re-listed meanwhile
  EXPECT_EQ(AwardText(c, "status"), "listed");
  auto relist = Keep(ListFile({Row(a, "02", "2026", "200")}));
  ASSERT_OK(relist);
  EXPECT_EQ(relist->errors.size(), 1u);

  const std::string a_id = AwardText(a, "payment_id");
  auto again = Pay(finance);
  ASSERT_OK(again.stopped);
  EXPECT_EQ(again.sent, 3);
  EXPECT_EQ(again.paid, 3);
  EXPECT_EQ(finance.paid, 3);  // a and b were not paid again
  EXPECT_EQ(finance.requests[1][0].payment_id, a_id);
  EXPECT_EQ(AwardText(a, "reference"), "CZ1");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM aid_award WHERE status = 'paid'"), 3);
}

TEST_P(AwardPaymentTest, PendingIsSentAgainUnderTheSamePaymentId) {
  Student a = Enrol(1, false);
  List({Row(a, "02", "2026", "100")});
  FakeFinance finance;
  finance.accounts = {{*a.id_number, a.name}};
  finance.pending_first = true;
  auto r = Pay(finance);
  ASSERT_OK(r.stopped);
  EXPECT_EQ(r.pending, 1);
  EXPECT_EQ(AwardText(a, "status"), "sent");
  auto again = Pay(finance);
  ASSERT_OK(again.stopped);
  EXPECT_EQ(again.paid, 1);
  EXPECT_EQ(finance.requests[1][0].payment_id, finance.requests[0][0].payment_id);
  EXPECT_EQ(AwardText(a, "status"), "paid");
}

TEST_P(AwardPaymentTest, KeepsOnlyAnswersAboutPaymentsSentAndStopsAtAnUnknownResult) {
  Student a = Enrol(1, false), b = Enrol(2, false);
  List({Row(a, "02", "2026", "100"), Row(b, "02", "2026", "100")});
  FakeFinance finance;
  finance.accounts = {{*a.id_number, a.name}, {*b.id_number, b.name}};
  finance.bend = [](std::vector<AidPaymentResult>& out) {
    out.push_back({out[0].payment_id, "未发放", "", "重复"});    // a second answer: not kept
    out.push_back({std::string(32, 'f'), "已发放", "CZ9", ""});  // never sent
    out.erase(out.begin() + 1);                                  // b left unanswered
  };
  auto r = Pay(finance);
  ASSERT_OK(r.stopped);
  EXPECT_EQ(r.paid, 1);
  EXPECT_EQ(r.unanswered, 1);
  EXPECT_EQ(AwardText(a, "status"), "paid");
  EXPECT_EQ(AwardText(b, "status"), "sent");

  finance.bend = [](std::vector<AidPaymentResult>& out) { out[0].result = "待定"; };
  auto bad = Pay(finance);
  EXPECT_THAT(bad.stopped, nemis::testing::IsErrorCode("bad_answer"));
  EXPECT_EQ(AwardText(b, "status"), "sent");
}

TEST_P(AwardPaymentTest, SkipsAStudentWithoutAResidentIdAndFollowsScopeAndYear) {
  Student a = Enrol(1, false), b = Enrol(2, false), c = Enrol(3, false, kSchool2);
  List({Row(a, "02", "2026", "100"), Row(a, "02", "2025", "100"), Row(b, "02", "2026", "100"),
        Row(c, "02", "2026", "100")});
  ASSERT_OK(db().WithWriter([&](db::Connection& conn) -> Status {
    NEMIS_TRY(conn.Query("UPDATE student SET id_type = '6' WHERE id = $1", {b.id}));
    return {};
  }));
  auto school1 =
      org::OrgStore(db()).Get(org::Scope::Everything(), registry::number_testing::kSchool1);
  ASSERT_OK(school1);
  FakeFinance finance;
  finance.accounts = {{*a.id_number, a.name}, {*c.id_number, c.name}};
  auto r = Pay(finance, org::Scope::Of(*school1), 2026);
  ASSERT_OK(r.stopped);
  EXPECT_EQ(r.sent, 1);  // a's 2026 award: not 2025's, not c's school
  EXPECT_EQ(r.skipped, 1);
  EXPECT_EQ(r.paid, 1);
  EXPECT_EQ(AwardText(b, "status"), "listed");
  EXPECT_EQ(AwardText(c, "status"), "listed");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM aid_award WHERE status = 'listed'"), 3);
}

NEMIS_STORE_TEST_SUITE(AwardPaymentTest);

}  // namespace
}  // namespace nemis::aid
