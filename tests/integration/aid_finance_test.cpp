// Student aid lists and their payment by the finance department end to end, on both stores:
// pupils registered through the API, `nemis aid import` of a list saved by a spreadsheet
// (GB18030), `nemis aid pay` against a simulated payment platform
// (tests/departments/finance_sim.mjs, started per test, which pays a payment id once and
// keeps a ledger of what it paid), `nemis aid status`. A bad list keeps nothing; each answer
// is kept; a refused award re-listed becomes a new payment; an answer lost after finance paid
// and a 处理中 answer are sent again under the same payment ids and nothing is paid twice;
// every way the platform can fail stops the run with its error code; every run is audited.
#include <gtest/gtest.h>

#include "department_sim.hpp"
#include "fixture.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

struct Pupil {
  std::string name;
  int gender;
  std::string account_name;  // the name of the 一卡通 account under its ID; empty: none
  std::string amount;        // 元, as listed
  IdSource::Person person{};
  std::string number{};
};

class AidFinanceTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedRoster(60);
    StartServer();
    IdSource ids("110105", 2017);
    for (Pupil& p : pupils_) {
      p.person = ids.Next(p.gender);
      HttpResponse r = http().PostJson("/api/v1/students",
                                       StudentBody(PrimarySchool(), p.name, p.person, 3, "2"));
      ASSERT_EQ(r.status, 201) << r.Describe();
      p.number = "G" + p.person.id_number;  // the answer masks it: a G number is G + the ID
      ASSERT_EQ(r.Json().value("studentNumber", ""), MaskedStudentNumber(p.number));
    }
    token_file_ = store().File("finance.token");
    WriteFile(token_file_, "f1n4nc3\n");
  }

  // The accounts finance holds: the pupils' with an account name, and `more`.
  std::string Accounts(const std::vector<std::pair<std::string, std::string>>& more = {}) {
    std::string path = store().File("accounts" + std::to_string(++files_) + ".csv");
    std::string csv = "身份证件号,姓名\n";
    for (const Pupil& p : pupils_)
      if (!p.account_name.empty())
        csv.append(p.person.id_number).append(",").append(p.account_name).append("\n");
    for (const auto& [id, name] : more) csv.append(id).append(",").append(name).append("\n");
    WriteFile(path, csv);
    return path;
  }

  // The platform in `mode`, paying into `accounts`, keeping its ledger in ledger_.
  std::unique_ptr<DepartmentSim> Finance(const std::string& mode, const std::string& accounts,
                                         const std::string& token = "f1n4nc3") {
    ledger_ = store().File("ledger" + std::to_string(++files_) + ".json");
    return std::make_unique<DepartmentSim>(
        store(), NEMIS_FINANCE_SIM,
        std::vector<std::string>{"--accounts", accounts, "--mode", mode, "--token", token,
                                 "--ledger", ledger_, "--delay-ms", "2000"});
  }
  json Ledger() { return json::parse(ReadFile(ledger_)); }

  // A list of `pupils` (all by default) for 义务教育生活补助 2026, saved as GB18030.
  std::string List(const std::vector<const Pupil*>& pupils = {}) {
    std::string csv = "序号,学籍号,姓名,资助项目,学年,金额\r\n";
    int n = 0;
    for (const Pupil* p : pupils.empty() ? All() : pupils)
      csv += std::to_string(++n) + "," + p->number + "," + p->name +
             ",义务教育家庭经济困难学生生活补助,2026-2027," + p->amount + "\r\n";
    std::string path = store().File("list" + std::to_string(++files_) + ".csv");
    WriteFile(path, ToGb18030(csv));
    return path;
  }
  std::vector<const Pupil*> All() const {
    std::vector<const Pupil*> out;
    for (const Pupil& p : pupils_) out.push_back(&p);
    return out;
  }
  const Pupil& Named(const std::string& name) const {
    for (const Pupil& p : pupils_)
      if (p.name == name) return p;
    throw std::out_of_range(name);
  }

  RunResult Import(const std::string& file) {
    return RunNemisOnStore({"aid", "import", file, "--db", store().url()});
  }
  RunResult Pay(const DepartmentSim* finance, std::map<std::string, std::string> settings = {}) {
    if (finance) settings.try_emplace("finance.url", finance->Url("/payments"));
    settings.try_emplace("finance.token_file", token_file_);
    return RunNemisOnStore({"aid", "pay", "--db", store().url()}, settings);
  }

  // Each pupil's award as "status reference-or-reason", by name.
  std::map<std::string, std::string> Awards() {
    std::map<std::string, std::string> out;
    for (const auto& row :
         store().QueryRows("SELECT s.id_index, a.status, a.reference, a.reason FROM aid_award a "
                           "JOIN student s ON s.id = a.student_id"))
      for (const Pupil& p : pupils_)
        if (store().DocumentIndex(p.person.id_number) == row[0])
          out[p.name] =
              row[1] + (row[2].empty() ? "" : " " + row[2]) + (row[3].empty() ? "" : " " + row[3]);
    return out;
  }
  std::map<std::string, std::string> AllAwards(const std::string& state) {
    std::map<std::string, std::string> out;
    for (const Pupil& p : pupils_) out[p.name] = state;
    return out;
  }
  std::string PaymentId(const Pupil& p) {
    auto rows = store().QueryRows(
        "SELECT a.payment_id FROM aid_award a JOIN student s ON s.id = a.student_id "
        "WHERE s.id_index = '" +
        store().DocumentIndex(p.person.id_number) + "'");
    return rows.size() == 1 ? rows[0][0] : "";
  }

  // 张明 and 赵强 hold accounts under their names, 李华's is under 李桦, 王芳 has none.
  std::vector<Pupil> pupils_ = {{"张明", 1, "张明", "1000"},
                                {"李华", 2, "李桦", "800"},
                                {"王芳", 2, "", "800.50"},
                                {"赵强", 1, "赵强", "500"}};
  std::string token_file_, ledger_;
  int files_ = 0;
};

TEST_P(AidFinanceTest, ListsPaysEachOnceAndPaysARelistedAwardAnew) {
  RunResult listed = Import(List());
  ASSERT_TRUE(listed.status.Ok()) << listed.Describe();
  EXPECT_NE(listed.out.find("已保存资助名单：4 行；新增 4，更新 0，未变 0"), std::string::npos)
      << listed.out;
  EXPECT_EQ(Awards(), AllAwards("listed"));

  auto finance = Finance("ok", Accounts());
  RunResult paid = Pay(finance.get(), {{"finance.batch", "3"}});
  ASSERT_TRUE(paid.status.Ok()) << paid.Describe();
  EXPECT_NE(paid.out.find("已报送：发送 4 笔；已发放 2，未发放 2，处理中 0，未获答复 0"),
            std::string::npos)
      << paid.out;
  const json ledger = Ledger();
  EXPECT_EQ(ledger["paidCount"], 2);
  const json& zhang = ledger["paid"][PaymentId(Named("张明"))];
  EXPECT_EQ(zhang["amount"], "1000.00");
  EXPECT_EQ(zhang["idNumber"], Named("张明").person.id_number);
  EXPECT_EQ(ledger["paid"][PaymentId(Named("赵强"))]["amount"], "500.00");
  EXPECT_EQ(
      Awards(),
      (std::map<std::string, std::string>{
          {"张明", "paid " + zhang["reference"].get<std::string>()},
          {"李华", "refused 姓名与账户不符"},
          {"王芳", "refused 无有效一卡通账户"},
          {"赵强",
           "paid " + ledger["paid"][PaymentId(Named("赵强"))]["reference"].get<std::string>()}}));
  std::vector<int> sizes;
  for (const json& line : finance->Log()) sizes.push_back(line["payments"].get<int>());
  EXPECT_EQ(sizes, (std::vector<int>{3, 1}));  // finance.batch honoured

  RunResult again = Pay(finance.get());
  ASSERT_TRUE(again.status.Ok()) << again.Describe();
  EXPECT_NE(again.out.find("发送 0 笔"), std::string::npos) << again.out;
  EXPECT_EQ(finance->Log().size(), 2u);

  RunResult status = RunNemisOnStore({"aid", "status", "--year", "2026", "--db", store().url()});
  ASSERT_TRUE(status.status.Ok()) << status.Describe();
  EXPECT_NE(
      status.out.find("02 义务教育家庭经济困难学生生活补助\t2026 学年\t已发放\t2 人\t1500.00 元"),
      std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("\t2026 学年\t未发放\t2 人\t1600.50 元"), std::string::npos)
      << status.out;

  // 王芳 opens an account; her school lists her again: a new payment, paid.
  finance->Kill();
  const std::string old_id = PaymentId(Named("王芳"));
  auto reopened = Finance("ok", Accounts({{Named("王芳").person.id_number, "王芳"}}));
  RunResult relisted = Import(List({&Named("王芳")}));
  ASSERT_TRUE(relisted.status.Ok()) << relisted.Describe();
  EXPECT_NE(relisted.out.find("新增 0，更新 1，未变 0"), std::string::npos) << relisted.out;
  EXPECT_NE(PaymentId(Named("王芳")), old_id);
  RunResult repaid = Pay(reopened.get());
  ASSERT_TRUE(repaid.status.Ok()) << repaid.Describe();
  EXPECT_NE(repaid.out.find("发送 1 笔；已发放 1"), std::string::npos) << repaid.out;
  EXPECT_EQ(Ledger()["paid"][PaymentId(Named("王芳"))]["amount"], "800.50");

  std::vector<int64_t> sent;
  for (const json& d : store().AuditDetails("aid.pay")) {
    EXPECT_TRUE(d.value("finished", false)) << d.dump();
    sent.push_back(d.value("sent", int64_t{-1}));
  }
  EXPECT_EQ(sent, (std::vector<int64_t>{4, 0, 1}));
  std::vector<int64_t> added;
  for (const json& d : store().AuditDetails("aid.import"))
    added.push_back(d.value("added", int64_t{-1}));
  EXPECT_EQ(added, (std::vector<int64_t>{4, 0}));
}

TEST_P(AidFinanceTest, AnAnswerLostAfterFinancePaidIsSentAgainAndNothingIsPaidTwice) {
  ASSERT_TRUE(Import(List()).status.Ok());
  auto finance = Finance("lost_answer_once", Accounts());
  RunResult cut = Pay(finance.get());
  EXPECT_EQ(cut.status.code, 1) << cut.Describe();
  EXPECT_NE(cut.err.find("peer_unavailable"), std::string::npos) << cut.err;
  EXPECT_EQ(Ledger()["paidCount"], 2);  // finance paid; NEMIS never heard
  EXPECT_EQ(Awards(), AllAwards("sent"));

  // Sent awards cannot change while finance may have paid them.
  RunResult relist = Import(List({&Named("张明")}));
  EXPECT_EQ(relist.status.code, 1) << relist.Describe();
  EXPECT_NE(relist.err.find("已报送财政、等待发放结果，不能修改"), std::string::npos) << relist.err;

  RunResult again = Pay(finance.get());
  ASSERT_TRUE(again.status.Ok()) << again.Describe();
  EXPECT_NE(again.out.find("发送 4 笔；已发放 2，未发放 2"), std::string::npos) << again.out;
  EXPECT_EQ(Ledger()["paidCount"], 2);
  std::vector<int> paid_by_request;
  for (const json& line : finance->Log()) paid_by_request.push_back(line["paid"].get<int>());
  EXPECT_EQ(paid_by_request, (std::vector<int>{2, 0}));
  EXPECT_EQ(Awards()["张明"],
            "paid " + Ledger()["paid"][PaymentId(Named("张明"))]["reference"].get<std::string>());
}

TEST_P(AidFinanceTest, PendingPaymentsAreAskedAgain) {
  ASSERT_TRUE(Import(List()).status.Ok());
  auto finance = Finance("pending", Accounts());
  RunResult first = Pay(finance.get());
  ASSERT_TRUE(first.status.Ok()) << first.Describe();
  EXPECT_NE(first.out.find("发送 4 笔；已发放 0，未发放 0，处理中 4"), std::string::npos)
      << first.out;
  EXPECT_EQ(Awards(), AllAwards("sent"));
  RunResult second = Pay(finance.get());
  ASSERT_TRUE(second.status.Ok()) << second.Describe();
  EXPECT_NE(second.out.find("发送 4 笔；已发放 2，未发放 2，处理中 0"), std::string::npos)
      << second.out;
  EXPECT_EQ(Ledger()["paidCount"], 2);
}

TEST_P(AidFinanceTest, EveryFailureOfThePlatformStopsTheRunAndIsAudited) {
  ASSERT_TRUE(Import(List()).status.Ok());
  const std::string accounts = Accounts();
  struct Case {
    std::string mode, token, code;
    std::map<std::string, std::string> settings;
  };
  for (const Case& c : std::vector<Case>{
           {"unavailable", "f1n4nc3", "peer_unavailable", {}},
           {"ok", "another", "peer_refused", {}},
           {"garbage", "f1n4nc3", "bad_answer", {}},
           {"bad_result", "f1n4nc3", "bad_answer", {}},
           {"slow", "f1n4nc3", "peer_unavailable", {{"finance.timeout_ms", "500"}}},
       }) {
    auto finance = Finance(c.mode, accounts, c.token);
    RunResult r = Pay(finance.get(), c.settings);
    EXPECT_EQ(r.status.code, 1) << c.mode << ": " << r.Describe();
    EXPECT_NE(r.err.find(c.code), std::string::npos) << c.mode << ": " << r.err;
    EXPECT_NE(r.out.find("报送中断：发送 4 笔；已发放 0"), std::string::npos) << c.mode << r.out;
    EXPECT_EQ(Awards(), AllAwards("sent")) << c.mode;  // finance may have paid: not changeable
  }

  // A quota used up after the first batch: that batch's answers kept, the rest left sent.
  store().Execute("UPDATE aid_award SET status = 'listed'");
  auto quota = Finance("forbidden_after:1", accounts);
  RunResult r = Pay(quota.get(), {{"finance.batch", "2"}});
  EXPECT_EQ(r.status.code, 1) << r.Describe();
  EXPECT_NE(
      r.err.find("财政部门支付平台拒绝了请求（HTTP 403）：检查 finance.url 和 finance.token_file"),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("报送中断：发送 4 笔；已发放 1，未发放 1"), std::string::npos) << r.out;

  // A payment left out of the answer stays sent, to be asked again.
  store().Execute("UPDATE aid_award SET status = 'listed', reference = '', reason = ''");
  auto partial = Finance("partial", accounts);
  RunResult p = Pay(partial.get());
  ASSERT_TRUE(p.status.Ok()) << p.Describe();
  EXPECT_NE(p.out.find("发送 4 笔；已发放 1，未发放 2，处理中 0，未获答复 1"), std::string::npos)
      << p.out;
  EXPECT_EQ(Awards()["赵强"], "sent");

  RunResult unset = RunNemisOnStore({"aid", "pay", "--db", store().url()});
  EXPECT_EQ(unset.status.code, 2) << unset.Describe();
  EXPECT_NE(unset.err.find("未配置财政部门支付平台（finance.url）"), std::string::npos)
      << unset.err;

  std::vector<bool> finished;
  for (const json& d : store().AuditDetails("aid.pay"))
    finished.push_back(d.value("finished", true));
  EXPECT_EQ(finished, (std::vector<bool>{false, false, false, false, false, false, true}));
}

TEST_P(AidFinanceTest, ABadListKeepsNothingAndNamesEachBadRow) {
  const std::string path = store().File("bad.csv");
  WriteFile(path, ToGb18030("学籍号,姓名,资助项目,学年,金额\r\n" + Named("张明").number +
                            ",张明,02,2026,1000\r\n" + "G110105201701019999,某某,02,2026,100\r\n" +
                            Named("李华").number + ",李桦,02,2026,100\r\n" + Named("赵强").number +
                            ",赵强,03,2026,100\r\n"));
  RunResult r = Import(path);
  EXPECT_EQ(r.status.code, 1) << r.Describe();
  for (const std::string& line :
       {std::string("第 3 行 学籍号：没有这个学籍号的学生，或该生不在您的管辖范围内"),
        std::string("第 4 行 姓名：与该学籍号学生的姓名不符"),
        std::string("第 5 行 资助项目：“普通高中国家助学金”不适用于小学学生"),
        std::string("名单有错误，未保存任何一行")})
    EXPECT_NE(r.err.find(line), std::string::npos) << line << "\n" << r.err;
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM aid_award"), 0);
  const std::vector<json> audited = store().AuditDetails("aid.import");
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0]["errors"], 3);
  EXPECT_EQ(audited[0]["added"], 0);

  RunResult missing = Import(store().File("absent.csv"));
  EXPECT_NE(missing.status.code, 0) << missing.Describe();
}

NEMIS_IT_BOTH_BACKENDS(AidFinanceTest);

}  // namespace
}  // namespace nemis::it
