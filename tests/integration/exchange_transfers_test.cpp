// A cross-province transfer between two provincial nodes through the national node, with three
// data centres running them: the national node (000000) pulls 广东 (440000) and 北京 (110000);
// each province's `nemis serve` polls the national node (exchange.national,
// exchange.conflict_poll_ms), which carries conflicts and transfers alike.
//
// A school of 广东 (the receiving province) asks for a child registered in 北京, naming the
// province (fromProvince), the student number and the name as the family gives them. Its case
// transfer.external_in passes its county and its province, then waits at 北京's node ("node:11"),
// where nobody in 广东 can act and the opener can no longer withdraw it. 广东's poller posts the
// request to the national node, which checks it against its copy; 北京's poller turns it into a
// case transfer.external_out at the child's school, county and province (the child masked).
//   - 北京 approves: its student leaves (status 10, a 21 转学(转出) change naming 广东's school)
//     and its record goes to 广东 through the national node; 广东 enrols the child under the same
//     number (status 01, a 22 转学(转入) change from 北京's school), its case approved by
//     "node:11". The national copy follows the child to 广东 when 广东's registration is pulled;
//     北京's later status 10 is no conflict. Both provinces' digests agree with the national node
//     (北京's leaves the child out).
//   - a node killed (SIGKILL) mid-transfer and started again on its store carries on where it
//     stood: the national node while 广东's request waits for it and again once it relayed it,
//     广东 while 北京 releases the child. The child is enrolled once and lost nowhere.
//   - 北京's school rejects: 广东's case is rejected with 北京's reason, the child stays in 北京.
//   - a number or a name the national copy does not bear out is refused at once by the national
//     node: 广东's case is rejected saying so, and 北京 never sees it.
//
// The nodes, the child and the people acting on cases are support/three_nodes' (SQLite stores,
// each node a `nemis serve` child, the provinces certified by the national CA through the
// command line); here the provinces run a year-end calendar away from today, so that transfers
// are open whenever the suite runs. The timeouts are generous (a loaded 2-core machine) and
// nothing is asserted about how long a step takes.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "exchange_serve.hpp"
#include "exchange_store.hpp"
#include "http_client.hpp"
#include "process.hpp"
#include "registry/student_lock.hpp"
#include "test_data.hpp"
#include "three_nodes.hpp"

namespace nemis::it {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Today in China (UTC+8), YYYY-MM-DD: the transfer's date.
std::tm NowInChina() {
  const std::time_t t = std::time(nullptr) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string TodayInChina() {
  const std::tm tm = NowInChina();
  char out[32];
  return std::string(out, std::strftime(out, sizeof out, "%Y-%m-%d", &tm));
}

// A year-end calendar (registry.calendar) whose freezes are in the other half of the year from
// today: transfers open whenever the suite runs (the shipped one closes them in summer).
std::string CalendarAwayFromToday() {
  return NowInChina().tm_mon < 6 ? "11-01,11-02,11-03,11-04" : "02-01,02-02,02-03,02-04";
}

// A child nobody registered anywhere (valid, but unknown to every node).
const IdSource::Person kStranger{MakeIdNumber("110105", "20170622", 733), "2017-06-22", 2};

class ExchangeTransfersTest : public ThreeNodesTest {
 protected:
  void SetUp() override {
    ThreeNodesTest::SetUp();
    never_logged_.push_back(kStranger.id_number);
  }

  static std::string StrangerNumber() { return "G" + kStranger.id_number; }
  // 广东's case for the child, approved by its county and province, and the case 北京 opened
  // for it; "" (with a failure) for what did not open.
  std::pair<std::string, std::string> AskedOfBeijing() {
    const std::string gd_case = OpenTransfer(ChildNumber(), kChildName);
    if (gd_case.empty()) return {};
    ApproveInGuangdong(gd_case);
    if (HasFatalFailure()) return {gd_case, ""};
    return {gd_case, AwaitOutCase()};
  }

  // The child's status changes on `node`: type, from and to school, status before and after,
  // case.
  static Rows ChildChanges(const Node& node) {
    return QueryRows(node.url,
                     "SELECT c.change_type, c.from_school_code, c.to_school_code, "
                     "c.status_before, c.status_after, c.case_id FROM student_change c "
                     "JOIN student s ON s.id = c.student_id WHERE " +
                         ChildOn(node, "s") + " ORDER BY c.id");
  }

  // Everything up to the child registered in 北京 and known to the national node, the provinces
  // open to transfers today.
  void StartWithChild() {
    StartWithChildInBeijing({{"registry.calendar", CalendarAwayFromToday()}});
  }

  // 广东's school asks for a student of 北京 (fromProvince "11", or its code "110000"): the
  // response to the request.
  HttpResponse AskForTransfer(const std::string& number, const std::string& name,
                              const std::string& from = "11") {
    const json body = {{"fromProvince", from},
                       {"studentNumber", number},
                       {"name", name},
                       {"toSchool", guangdong_.school.code},
                       {"grade", "3"},
                       {"class", "05"},
                       {"reason", "随父母工作调动"},
                       {"date", TodayInChina()}};
    return guangdong_.serve->ClientWithToken(Token(guangdong_, "registrar"))
        .PostJson("/api/v1/transfers", body);
  }

  // Opens the transfer.external_in case in 广东 for `number` and `name`; its id, "" with a
  // failure.
  std::string OpenTransfer(const std::string& number, const std::string& name,
                           const std::string& from = "11") {
    HttpResponse opened = AskForTransfer(number, name, from);
    EXPECT_EQ(opened.status, 201) << opened.Describe();
    if (opened.status != 201) return "";
    const json kase = opened.Json();
    EXPECT_EQ(kase["type"], "transfer.external_in") << opened.Describe();
    EXPECT_EQ(kase["status"], "open");
    EXPECT_EQ(kase["step"]["waitingAt"], guangdong_.county) << opened.Describe();
    EXPECT_EQ(kase["steps"].size(), 3u) << opened.Describe();
    if (kase["steps"].size() == 3u) {
      EXPECT_EQ(kase["steps"][0]["party"], "receiving_county");
      EXPECT_EQ(kase["steps"][1]["party"], "receiving_province");
      EXPECT_EQ(kase["steps"][1]["at"], "440000");
      EXPECT_EQ(kase["steps"][2]["party"], "sending_node");
      EXPECT_EQ(kase["steps"][2]["at"], "node:11");
    }
    // The student masked in the case; neither the number nor the name in clear.
    EXPECT_EQ(opened.body.find(number.substr(1)), std::string::npos) << opened.Describe();
    EXPECT_EQ(opened.body.find(name), std::string::npos) << opened.Describe();
    EXPECT_EQ(kase["details"]["from"]["province"], "110000") << opened.Describe();
    EXPECT_EQ(kase["details"]["to"]["school"], guangdong_.school.code) << opened.Describe();
    EXPECT_EQ(kase["allowedActions"], json::array({"cancel"})) << "the opener may only cancel";
    return std::to_string(kase["id"].get<int64_t>());
  }

  // The case as the account of `token` sees it (200 asserted).
  json ShowCase(Node& node, const std::string& token, const std::string& case_id) {
    HttpResponse shown = node.serve->ClientWithToken(token).Get("/api/v1/cases/" + case_id);
    EXPECT_EQ(shown.status, 200) << node.name << ": " << shown.Describe();
    return shown.status == 200 ? shown.Json() : json::object();
  }

  // 广东's county and province approve its case, which then waits at 北京's node.
  void ApproveInGuangdong(const std::string& case_id) {
    Act(guangdong_, Token(guangdong_, "county"), case_id, "approve");
    if (HasFatalFailure()) return;
    EXPECT_EQ(CaseRow(guangdong_, case_id), (std::vector<std::string>{"open", "1", "440000"}));
    Act(guangdong_, Token(guangdong_, "province"), case_id, "approve");
    if (HasFatalFailure()) return;
    EXPECT_EQ(CaseRow(guangdong_, case_id), (std::vector<std::string>{"open", "2", "node:11"}));
  }

  // A case's status, step and waiting institution.
  std::vector<std::string> CaseRow(const Node& node, const std::string& id) {
    Rows rows =
        QueryRows(node.url, "SELECT status, step, waiting_org FROM wf_case WHERE id = " + id);
    return rows.size() == 1
               ? rows[0]
               : std::vector<std::string>{"(" + std::to_string(rows.size()) + " rows)"};
  }
  // The open transfer.external_out cases of 北京's node: id, subject, waiting_org, details.
  Rows OutCases(const std::string& status = "open") {
    return QueryRows(beijing_.url,
                     "SELECT id, subject, waiting_org, details FROM wf_case "
                     "WHERE type = 'transfer.external_out' AND status = '" +
                         status + "' ORDER BY id");
  }
  // 北京's case for the transfer asked of it; "" (with a failure) when none opened.
  std::string AwaitOutCase() {
    const bool opened = Eventually([&] { return OutCases().size() >= 1; });
    EXPECT_TRUE(opened) << "北京 opened no transfer.external_out case" << NationalTransfers()
                        << Logs();
    if (!opened) return "";
    std::this_thread::sleep_for(1s);  // a few more rounds: one case however often it is asked
    Rows cases = OutCases();
    EXPECT_EQ(cases.size(), 1u);
    return cases.empty() ? "" : cases[0][0];
  }

  // The transfer of `gd_case` (广东's) and `bj_case` (北京's) done once, as the nodes end up:
  // the child in school in 广东 only (01, one 22 change), gone from 北京 (10, one 21 change);
  // the national node's transfer completed, its copy of the child 广东's, no conflict, no case
  // left open, both provinces agreeing with it.
  void ExpectTransferredOnce(const std::string& gd_case, const std::string& bj_case) {
    EXPECT_EQ(QueryRows(guangdong_.url,
                        "SELECT status, school_code FROM student WHERE " + ChildOn(guangdong_)),
              (Rows{{"01", guangdong_.school.code}}));
    EXPECT_EQ(ChildChanges(guangdong_),
              (Rows{{"22", beijing_.school.code, guangdong_.school.code, "10", "01", gd_case}}));
    EXPECT_EQ(QueryRows(beijing_.url, "SELECT status FROM student WHERE " + ChildOn(beijing_)),
              (Rows{{"10"}}));
    EXPECT_EQ(ChildChanges(beijing_),
              (Rows{{"21", beijing_.school.code, guangdong_.school.code, "01", "10", bj_case}}));
    EXPECT_EQ(
        QueryText(guangdong_.url, "SELECT state FROM external_transfer WHERE case_id = " + gd_case),
        "completed");
    EXPECT_EQ(QueryText(beijing_.url, "SELECT DISTINCT verdict FROM exchange_transfer_out"),
              "released");
    // The national node: one transfer, completed; the child once, 广东's; no conflict.
    EXPECT_EQ(QueryRows(national_.url, "SELECT to_case_id, state FROM exchange_transfer"),
              (Rows{{gd_case, "completed"}}));
    ExpectPulledUpToNow(guangdong_);
    ExpectPulledUpToNow(beijing_);
    const std::string on_national = ChildOn(national_);
    EXPECT_EQ(
        QueryRows(national_.url,
                  "SELECT province_code, school_code, status FROM student WHERE " + on_national),
        (Rows{{"440000", guangdong_.school.code, "01"}}));
    EXPECT_EQ(QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_conflict"), 0) << Logs();
    ExpectNoCaseLeftOpen();
    ExpectAgreesWithNational(guangdong_, kRosterStudents + 1);
    ExpectAgreesWithNational(beijing_, kRosterStudents);
  }

  // The national node killed; once both provinces found it gone, started again on its store and
  // port.
  void KillAndRestartNational() {
    Kill(national_);
    std::cout << "national node killed holding "
              << QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_transfer")
              << " transfer(s)\n";
    for (const Node* p : Provinces())
      EXPECT_TRUE(Eventually([p] {
        return HasGauge(p->serve->Metrics(), "nemis_exchange_conflict_poll_ok", 0);
      })) << p->name
          << " did not notice the national node gone";
    Restart(national_);
  }

  // The national node stopped cleanly (its WAL checkpointed), its store copied aside (`save`) or
  // copied back from there, and started again on its port.
  void CopyNationalStore(bool save) {
    const int port = national_.serve->port();
    ASSERT_TRUE(national_.serve->Stop().value_or(ExitStatus{}).Ok());
    const std::string db = dir_.File("000000.db"), backup = dir_.File("000000-backup.db");
    for (const std::string suffix : {"", "-wal", "-shm"}) {
      const std::string from = (save ? db : backup) + suffix, to = (save ? backup : db) + suffix;
      std::filesystem::remove(to);
      if (std::filesystem::exists(from)) std::filesystem::copy_file(from, to);
    }
    national_.serve->Start(port);
    ASSERT_EQ(national_.serve->port(), port);
  }

  // The states of the national node's transfers, for failure messages.
  std::string NationalTransfers() const {
    return ", national transfers " +
           QueryText(national_.url, "SELECT group_concat(state) FROM exchange_transfer");
  }

  // The last event of a case: action, actor, step, status, reason.
  std::vector<std::string> LastEvent(const Node& node, const std::string& case_id) {
    Rows rows = QueryRows(node.url,
                          "SELECT action, actor, step, status, reason FROM wf_case_event "
                          "WHERE case_id = " +
                              case_id + " ORDER BY id DESC LIMIT 1");
    return rows.empty() ? std::vector<std::string>{} : rows[0];
  }
};

TEST_F(ExchangeTransfersTest, TheChildMovesToTheReceivingProvinceWhenBothApprove) {
  StartWithChild();
  if (HasFatalFailure()) return;
  const std::string on_national = ChildOn(national_);
  const int64_t national_child_id =
      QueryInt(national_.url, "SELECT id FROM student WHERE " + on_national);

  // 广东's school asks for the child by number and name; nothing goes to the national node
  // before its county and province approved.
  const std::string gd_case = OpenTransfer(ChildNumber(), kChildName);
  ASSERT_FALSE(gd_case.empty());
  EXPECT_EQ(
      QueryText(guangdong_.url, "SELECT node FROM external_transfer WHERE case_id = " + gd_case),
      "node:11");
  Act(guangdong_, Token(guangdong_, "county"), gd_case, "approve");
  if (HasFatalFailure()) return;
  std::this_thread::sleep_for(1s);  // a few polling rounds
  EXPECT_EQ(QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_transfer"), 0)
      << "the request left before 广东's province approved it";
  Act(guangdong_, Token(guangdong_, "province"), gd_case, "approve");
  if (HasFatalFailure()) return;
  EXPECT_EQ(CaseRow(guangdong_, gd_case), (std::vector<std::string>{"open", "2", "node:11"}));

  // Waiting for 北京's node: nobody in 广东 acts on it, and its opener cannot cancel it, only
  // ask 北京 to withdraw it.
  const json waiting = ShowCase(guangdong_, Token(guangdong_, "registrar"), gd_case);
  EXPECT_EQ(waiting["step"]["waitingAt"], "node:11") << waiting.dump();
  EXPECT_EQ(waiting["allowedActions"], json::array({"withdraw"})) << waiting.dump();
  EXPECT_EQ(ShowCase(guangdong_, Token(guangdong_, "province"), gd_case)["allowedActions"],
            json::array());
  HttpResponse cancel = TryAct(guangdong_, Token(guangdong_, "registrar"), gd_case, "cancel");
  EXPECT_EQ(cancel.status, 422) << cancel.Describe();
  EXPECT_EQ(cancel.ErrorCode(), "transfer_at_other_node") << cancel.Describe();
  HttpResponse approve = TryAct(guangdong_, Token(guangdong_, "province"), gd_case, "approve");
  EXPECT_EQ(approve.status, 403) << approve.Describe();
  EXPECT_EQ(CaseRow(guangdong_, gd_case), (std::vector<std::string>{"open", "2", "node:11"}));

  // 北京: a case at the child's school, county and province, the child masked.
  const std::string bj_case = AwaitOutCase();
  ASSERT_FALSE(bj_case.empty());
  EXPECT_EQ(QueryRows(national_.url,
                      "SELECT from_province, to_province, to_case_id, state FROM "
                      "exchange_transfer"),
            (Rows{{"110000", "440000", gd_case, "requested"}}));
  {
    Rows cases = OutCases();
    ASSERT_EQ(cases.size(), 1u);
    EXPECT_EQ(cases[0][1], registry::StudentSubject(Cipher(beijing_), ChildNumber()));
    EXPECT_EQ(cases[0][2], beijing_.school.code);
    const std::string& details = cases[0][3];
    ExpectChildMaskedIn(details);
    const json d = json::parse(details);
    EXPECT_EQ(d["from"]["school"], beijing_.school.code) << details;
    EXPECT_EQ(d["to"]["school"], guangdong_.school.code) << details;
    EXPECT_EQ(d["to"]["province"], "440000") << details;
  }
  const json shown = ShowCase(beijing_, Token(beijing_, "head"), bj_case);
  EXPECT_EQ(shown["title"], "跨省转学（转入省在其他节点）") << shown.dump();
  ASSERT_EQ(shown["steps"].size(), 3u) << shown.dump();
  EXPECT_EQ(shown["steps"][0]["name"], "转出校审核");
  EXPECT_EQ(shown["steps"][0]["at"], beijing_.school.code);
  EXPECT_EQ(shown["steps"][1]["name"], "转出地县级教育行政部门审核");
  EXPECT_EQ(shown["steps"][1]["at"], beijing_.county);
  EXPECT_EQ(shown["steps"][2]["name"], "转出地省级教育行政部门审核");
  EXPECT_EQ(shown["steps"][2]["at"], "110000");
  EXPECT_EQ(shown["allowedActions"], json::array({"approve", "reject"})) << shown.dump();
  HttpResponse inbox =
      beijing_.serve->ClientWithToken(Token(beijing_, "head")).Get("/api/v1/cases?waiting=me");
  ASSERT_EQ(inbox.status, 200) << inbox.Describe();
  ASSERT_EQ(inbox.Json()["items"].size(), 1u) << inbox.Describe();
  EXPECT_EQ(std::to_string(inbox.Json()["items"][0]["id"].get<int64_t>()), bj_case);
  EXPECT_TRUE(Eventually([&] {
    return HasGauge(beijing_.serve->Metrics(), "nemis_exchange_transfer_cases_opened", 1);
  })) << beijing_.serve->Metrics();
  // The child stays in 北京 meanwhile.
  EXPECT_EQ(QueryText(beijing_.url, "SELECT status FROM student WHERE " + ChildOn(beijing_)), "01");

  // 北京's school, county and province approve, three people: the child leaves 北京.
  Act(beijing_, Token(beijing_, "head"), bj_case, "approve");
  if (HasFatalFailure()) return;
  Act(beijing_, Token(beijing_, "county"), bj_case, "approve");
  if (HasFatalFailure()) return;
  EXPECT_EQ(CaseStatus(beijing_, bj_case), "open");
  Act(beijing_, Token(beijing_, "province"), bj_case, "approve");
  if (HasFatalFailure()) return;
  EXPECT_EQ(CaseStatus(beijing_, bj_case), "approved");
  EXPECT_EQ(QueryText(beijing_.url, "SELECT status FROM student WHERE " + ChildOn(beijing_)), "10");
  EXPECT_EQ(ChildChanges(beijing_),
            (Rows{{"21", beijing_.school.code, guangdong_.school.code, "01", "10", bj_case}}));

  // 广东 enrols the child under the same number; its case approved by 北京's node.
  const std::string gd_child = ChildOn(guangdong_);
  ASSERT_TRUE(Eventually([&] {
    return QueryInt(guangdong_.url, "SELECT COUNT(*) FROM student WHERE " + gd_child) == 1 &&
           CaseStatus(guangdong_, gd_case) == "approved";
  })) << "广东 did not enrol the child: case "
      << CaseStatus(guangdong_, gd_case) << NationalTransfers() << Logs();
  EXPECT_EQ(QueryRows(guangdong_.url,
                      "SELECT status, school_code, grade, class_no FROM student WHERE " + gd_child),
            (Rows{{"01", guangdong_.school.code, "3", "05"}}));
  EXPECT_EQ(ChildChanges(guangdong_),
            (Rows{{"22", beijing_.school.code, guangdong_.school.code, "10", "01", gd_case}}));
  const std::vector<std::string> last = LastEvent(guangdong_, gd_case);
  ASSERT_EQ(last.size(), 5u);
  EXPECT_EQ(last[0], "approve");
  EXPECT_EQ(last[1], "node:11");
  EXPECT_EQ(last[2], "2");
  EXPECT_EQ(last[3], "approved");
  {
    HttpClient registrar = guangdong_.serve->ClientWithToken(Token(guangdong_, "registrar"));
    HttpResponse student = registrar.Get("/api/v1/students/" + ChildNumber());
    ASSERT_EQ(student.status, 200) << student.Describe();
    EXPECT_EQ(student.Json()["studentNumber"], ChildNumber());
    EXPECT_EQ(student.Json()["schoolCode"], guangdong_.school.code);
    EXPECT_EQ(student.Json()["status"], "01");
    HttpResponse changes = registrar.Get("/api/v1/students/" + ChildNumber() + "/changes");
    ASSERT_EQ(changes.status, 200) << changes.Describe();
    const json items = changes.Json()["items"];
    ASSERT_GE(items.size(), 1u) << changes.Describe();
    EXPECT_EQ(items.back()["type"], "22") << changes.Describe();
    EXPECT_EQ(items.back()["fromSchool"], beijing_.school.code) << changes.Describe();
    EXPECT_EQ(items.back()["toSchool"], guangdong_.school.code) << changes.Describe();
  }
  EXPECT_TRUE(Eventually([&] {
    return HasGauge(guangdong_.serve->Metrics(), "nemis_exchange_transfers_enrolled", 1);
  })) << guangdong_.serve->Metrics();

  // 广东 reports the completion; the national node drops the record.
  EXPECT_TRUE(Eventually([&] {
    return QueryText(national_.url, "SELECT state FROM exchange_transfer") == "completed";
  })) << QueryText(national_.url, "SELECT state FROM exchange_transfer")
      << Logs();
  EXPECT_EQ(QueryText(national_.url, "SELECT COALESCE(record, '') FROM exchange_transfer"), "");
  EXPECT_EQ(
      QueryText(guangdong_.url, "SELECT state FROM external_transfer WHERE case_id = " + gd_case),
      "completed");
  EXPECT_EQ(QueryText(beijing_.url, "SELECT verdict FROM exchange_transfer_out"), "released");
  EXPECT_NE(QueryText(beijing_.url, "SELECT COALESCE(reported_at, '') FROM exchange_transfer_out"),
            "");

  // The national copy follows the child to 广东 once 广东's registration is pulled: one copy,
  // the same row, 广东's; 北京's status 10, pulled too, is no conflict.
  ExpectPulledUpToNow(guangdong_);
  ExpectPulledUpToNow(beijing_);
  EXPECT_EQ(
      QueryRows(national_.url,
                "SELECT id, province_code, school_code, status FROM student WHERE " + on_national),
      (Rows{{std::to_string(national_child_id), "440000", guangdong_.school.code, "01"}}));
  EXPECT_EQ(QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_conflict"), 0)
      << QueryText(national_.url,
                   "SELECT group_concat(source || ' ' || kind || ' ' || state) FROM "
                   "exchange_conflict")
      << Logs();
  ExpectNoCaseLeftOpen();

  // Each province agrees with the national node: 广东 holds the child, 北京 leaves it out.
  ExpectAgreesWithNational(guangdong_, kRosterStudents + 1);
  ExpectAgreesWithNational(beijing_, kRosterStudents);
  EXPECT_EQ(QueryInt(beijing_.url, "SELECT COUNT(*) FROM student"), kRosterStudents + 1);

  // The national node audited both provinces' transfer calls.
  ExpectCalledByBothProvinces("exchange.transfers");
}

// A node killed (SIGKILL) mid-transfer carries on from what its store held when it is started
// again on it: the national node killed while 广东's request waits for it and again once it
// relayed it, then 广东 killed while 北京 decides, so that 北京's release reaches the national
// node while 广东 is down. Healed, the transfer happened once: the child is neither enrolled
// twice nor lost.
TEST_F(ExchangeTransfersTest, ANodeKilledMidTransferCarriesOnWhereItStood) {
  StartWithChild();
  if (HasFatalFailure()) return;
  const std::string gd_case = OpenTransfer(ChildNumber(), kChildName);
  ASSERT_FALSE(gd_case.empty());

  // 1. The national node killed once 广东's province approved (before or after it took the
  // request).
  ApproveInGuangdong(gd_case);
  if (HasFatalFailure()) return;
  KillAndRestartNational();
  if (HasFatalFailure()) return;
  const std::string bj_case = AwaitOutCase();
  ASSERT_FALSE(bj_case.empty());
  EXPECT_EQ(QueryRows(national_.url, "SELECT to_case_id, state FROM exchange_transfer"),
            (Rows{{gd_case, "requested"}}));

  // Killed again holding the request, 北京's case open: nothing is asked twice.
  KillAndRestartNational();
  if (HasFatalFailure()) return;
  EXPECT_TRUE(Eventually([this] {
    return HasGauge(beijing_.serve->Metrics(), "nemis_exchange_conflict_poll_ok", 1);
  })) << "北京 did not reach the national node again"
      << Logs();
  std::this_thread::sleep_for(1s);  // a few polling rounds
  EXPECT_EQ(OutCases().size(), 1u);
  EXPECT_EQ(QueryInt(beijing_.url, "SELECT COUNT(*) FROM exchange_transfer_out"), 1);

  // 2. 北京's school and county approve; 广东 killed before 北京's province does. 北京
  // releases the child and tells the national node, which keeps the record for 广东.
  Act(beijing_, Token(beijing_, "head"), bj_case, "approve");
  if (HasFatalFailure()) return;
  Act(beijing_, Token(beijing_, "county"), bj_case, "approve");
  if (HasFatalFailure()) return;
  Kill(guangdong_);
  Act(beijing_, Token(beijing_, "province"), bj_case, "approve");
  if (HasFatalFailure()) return;
  EXPECT_EQ(CaseStatus(beijing_, bj_case), "approved");
  EXPECT_EQ(QueryText(beijing_.url, "SELECT status FROM student WHERE " + ChildOn(beijing_)), "10");
  ASSERT_TRUE(Eventually([&] {
    return QueryText(national_.url, "SELECT state FROM exchange_transfer") == "released";
  })) << "北京's release did not reach the national node"
      << NationalTransfers() << Logs();
  // 广东, down, has not taken it: no child there, its case waiting at 北京's node.
  const std::string gd_child = ChildOn(guangdong_);
  EXPECT_EQ(QueryInt(guangdong_.url, "SELECT COUNT(*) FROM student WHERE " + gd_child), 0);
  EXPECT_EQ(CaseRow(guangdong_, gd_case), (std::vector<std::string>{"open", "2", "node:11"}));

  // 3. 广东 started again on its store and port: it enrols the child, its case approved, and
  // reports the completion.
  Restart(guangdong_);
  if (HasFatalFailure()) return;
  ASSERT_TRUE(Eventually([&] {
    return CaseStatus(guangdong_, gd_case) == "approved" &&
           QueryText(national_.url, "SELECT state FROM exchange_transfer") == "completed";
  })) << "广东's case "
      << CaseStatus(guangdong_, gd_case) << NationalTransfers() << Logs();
  EXPECT_TRUE(HasGauge(guangdong_.serve->Metrics(), "nemis_exchange_transfers_enrolled", 1))
      << guangdong_.serve->Metrics();

  ExpectTransferredOnce(gd_case, bj_case);
}

// The national node restored from a backup taken before the transfer was asked: it forgets 广东's
// request and 北京's release. 广东 sees its request gone and asks again; 北京, asked anew for the
// child it released to that school, releases it again at once (no second case); the child is
// enrolled in 广东 once and lost nowhere.
TEST_F(ExchangeTransfersTest, ANationalNodeRestoredFromAnOlderBackupLosesNoChild) {
  StartWithChild();
  if (HasFatalFailure()) return;
  CopyNationalStore(/*save=*/true);
  if (HasFatalFailure()) return;
  const std::string gd_case = OpenTransfer(ChildNumber(), kChildName);
  ASSERT_FALSE(gd_case.empty());
  ApproveInGuangdong(gd_case);
  if (HasFatalFailure()) return;
  const std::string bj_case = AwaitOutCase();
  ASSERT_FALSE(bj_case.empty());
  Kill(guangdong_);  // it takes the release only after the restore
  for (const char* who : {"head", "county", "province"}) {
    Act(beijing_, Token(beijing_, who), bj_case, "approve");
    if (HasFatalFailure()) return;
  }
  ASSERT_TRUE(Eventually([&] {
    return QueryText(national_.url, "SELECT state FROM exchange_transfer") == "released";
  })) << "北京's release did not reach the national node"
      << NationalTransfers() << Logs();

  CopyNationalStore(/*save=*/false);
  if (HasFatalFailure()) return;
  EXPECT_EQ(QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_transfer"), 0);
  Restart(guangdong_);
  if (HasFatalFailure()) return;
  ASSERT_TRUE(Eventually([&] {
    return CaseStatus(guangdong_, gd_case) == "approved" &&
           QueryText(national_.url, "SELECT state FROM exchange_transfer") == "completed";
  })) << "广东's case "
      << CaseStatus(guangdong_, gd_case) << NationalTransfers() << Logs();

  ExpectTransferredOnce(gd_case, bj_case);
  EXPECT_EQ(OutCases("approved").size(), 1u);  // 北京 decided once
  EXPECT_EQ(QueryRows(beijing_.url, "SELECT verdict FROM exchange_transfer_out"),
            (Rows{{"released"}, {"released"}}));  // the forgotten request and the new one
}

// 广东's registrar follows 北京's case from its own (its step and deadline, as 北京 tells them)
// and withdraws the request while 北京's school head has yet to decide: 北京's case closes, the
// child stays in 北京 unchanged, 广东's case closes on 北京's word, nothing is left open.
TEST_F(ExchangeTransfersTest, TheReceivingSchoolFollowsTheSendingCaseAndWithdrawsThroughIt) {
  StartWithChild();
  if (HasFatalFailure()) return;
  const auto cases = AskedOfBeijing();
  const std::string &gd_case = cases.first, &bj_case = cases.second;
  ASSERT_FALSE(bj_case.empty());
  const std::string registrar = Token(guangdong_, "registrar");
  auto progress = [&] { return ShowCase(guangdong_, registrar, gd_case)["otherNode"]["progress"]; };
  ASSERT_TRUE(Eventually([&] { return progress().is_object(); }))
      << ShowCase(guangdong_, registrar, gd_case).dump() << Logs();
  json told = progress();
  EXPECT_EQ(told["step"], 0);
  EXPECT_EQ(told["steps"], 3);
  EXPECT_EQ(told["stepName"], "转出校审核");
  EXPECT_EQ(told["since"], TodayInChina());
  EXPECT_EQ(told["overdue"], false);
  EXPECT_EQ(told["dueOn"],
            QueryText(beijing_.url, "SELECT due_on FROM wf_case WHERE id = " + bj_case));

  Act(beijing_, Token(beijing_, "head"), bj_case, "approve");
  if (HasFatalFailure()) return;
  ASSERT_TRUE(Eventually([&] { return progress().value("step", 0) == 1; })) << progress().dump();
  EXPECT_EQ(progress()["stepName"], "转出地县级教育行政部门审核");

  HttpResponse asked = TryAct(guangdong_, registrar, gd_case, "withdraw", "家长决定暂不转学");
  ASSERT_EQ(asked.status, 202) << asked.Describe();
  EXPECT_EQ(asked.Json()["otherNode"]["withdrawal"]["reason"], "家长决定暂不转学");
  ASSERT_TRUE(Eventually([&] { return CaseStatus(beijing_, bj_case) == "cancelled"; }))
      << "北京's case " << CaseStatus(beijing_, bj_case) << NationalTransfers() << Logs();
  EXPECT_NE(LastEvent(beijing_, bj_case).at(4).find("家长决定暂不转学"), std::string::npos);
  ASSERT_TRUE(Eventually([&] { return CaseStatus(guangdong_, gd_case) == "cancelled"; }))
      << "广东's case " << CaseStatus(guangdong_, gd_case) << NationalTransfers() << Logs();
  EXPECT_EQ(LastEvent(guangdong_, gd_case).at(1), "node:11");
  const json closed = ShowCase(guangdong_, registrar, gd_case);
  EXPECT_EQ(closed["otherNode"]["state"], "withdrawn") << closed.dump();
  EXPECT_EQ(closed["allowedActions"], json::array());

  EXPECT_EQ(QueryText(beijing_.url, "SELECT status FROM student WHERE " + ChildOn(beijing_)), "01");
  EXPECT_EQ(ChildChanges(beijing_), Rows{});
  EXPECT_EQ(QueryInt(guangdong_.url, "SELECT COUNT(*) FROM student WHERE " + ChildOn(guangdong_)),
            0);
  EXPECT_EQ(QueryRows(national_.url, "SELECT state FROM exchange_transfer"), (Rows{{"withdrawn"}}));
  EXPECT_EQ(QueryText(beijing_.url, "SELECT verdict FROM exchange_transfer_out"), "withdrawn");
  ExpectNoCaseLeftOpen();
  for (const Node* n : {&guangdong_, &beijing_}) ExpectPulledUpToNow(*n);
  ExpectAgreesWithNational(guangdong_, kRosterStudents);
  ExpectAgreesWithNational(beijing_, kRosterStudents + 1);
}

TEST_F(ExchangeTransfersTest, TheSendingSchoolRefusingRejectsTheReceivingCase) {
  StartWithChild();
  if (HasFatalFailure()) return;
  const auto cases = AskedOfBeijing();
  const std::string &gd_case = cases.first, &bj_case = cases.second;
  ASSERT_FALSE(bj_case.empty());

  // 北京's school finds the family has not asked to leave.
  const std::string why = "经核实家长未申请转学";
  HttpResponse no_reason = TryAct(beijing_, Token(beijing_, "head"), bj_case, "reject");
  EXPECT_EQ(no_reason.status, 422) << no_reason.Describe();
  Act(beijing_, Token(beijing_, "head"), bj_case, "reject", why);
  if (HasFatalFailure()) return;
  EXPECT_EQ(CaseStatus(beijing_, bj_case), "rejected");

  // 广东's case is rejected at 北京's step, by 北京's node, with its reason.
  ASSERT_TRUE(Eventually([&] { return CaseStatus(guangdong_, gd_case) == "rejected"; }))
      << "广东's case " << CaseStatus(guangdong_, gd_case) << NationalTransfers() << Logs();
  const std::vector<std::string> last = LastEvent(guangdong_, gd_case);
  ASSERT_EQ(last.size(), 5u);
  EXPECT_EQ(last[0], "reject");
  EXPECT_EQ(last[1], "node:11");
  EXPECT_EQ(last[2], "2");
  EXPECT_NE(last[4].find(why), std::string::npos) << last[4];
  const json history = ShowCase(guangdong_, Token(guangdong_, "registrar"), gd_case)["history"];
  ASSERT_TRUE(history.is_array() && !history.empty()) << history.dump();
  EXPECT_NE(history.back().value("reason", "").find(why), std::string::npos) << history.dump();
  EXPECT_EQ(
      QueryText(guangdong_.url, "SELECT state FROM external_transfer WHERE case_id = " + gd_case),
      "refused");

  // The child stays in 北京, in school, unchanged; 广东 never holds it; the national copy is
  // 北京's.
  EXPECT_EQ(QueryText(beijing_.url, "SELECT status FROM student WHERE " + ChildOn(beijing_)), "01");
  EXPECT_EQ(ChildChanges(beijing_), Rows{});
  EXPECT_EQ(QueryInt(guangdong_.url, "SELECT COUNT(*) FROM student WHERE " + ChildOn(guangdong_)),
            0);
  EXPECT_TRUE(HasGauge(guangdong_.serve->Metrics(), "nemis_exchange_transfers_enrolled", 0))
      << guangdong_.serve->Metrics();
  EXPECT_EQ(QueryRows(national_.url, "SELECT state FROM exchange_transfer"), (Rows{{"refused"}}));
  // The national node kept the reason sealed (free text may name the child); 广东 read it above.
  const std::string kept = QueryText(national_.url, "SELECT comment FROM exchange_transfer");
  EXPECT_FALSE(kept.empty());
  EXPECT_EQ(kept.find(why), std::string::npos) << kept;
  EXPECT_EQ(QueryText(beijing_.url, "SELECT verdict FROM exchange_transfer_out"), "refused");
  for (const Node* n : {&guangdong_, &beijing_}) ExpectPulledUpToNow(*n);
  EXPECT_EQ(QueryText(national_.url, "SELECT province_code || ' ' || status FROM student WHERE " +
                                         ChildOn(national_)),
            "110000 01");
  EXPECT_EQ(QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_conflict"), 0);
  ExpectAgreesWithNational(guangdong_, kRosterStudents);
  ExpectAgreesWithNational(beijing_, kRosterStudents + 1);
}

TEST_F(ExchangeTransfersTest, TheNationalNodeRefusesANumberOrNameItDoesNotHold) {
  StartWithChild();
  if (HasFatalFailure()) return;
  // A number nobody registered, and the child's number under another name (北京 named by its
  // division code this time).
  const std::string unknown_case = OpenTransfer(StrangerNumber(), "赵小川");
  ASSERT_FALSE(unknown_case.empty());
  const std::string misnamed_case = OpenTransfer(ChildNumber(), "林小语", "110000");
  ASSERT_FALSE(misnamed_case.empty());
  for (const std::string& id : {unknown_case, misnamed_case}) {
    ApproveInGuangdong(id);
    if (HasFatalFailure()) return;
  }

  for (const std::string& id : {unknown_case, misnamed_case}) {
    SCOPED_TRACE("case " + id);
    ASSERT_TRUE(Eventually([&] { return CaseStatus(guangdong_, id) == "rejected"; }))
        << "广东's case " << CaseStatus(guangdong_, id) << NationalTransfers() << Logs();
    const std::vector<std::string> last = LastEvent(guangdong_, id);
    ASSERT_EQ(last.size(), 5u);
    EXPECT_EQ(last[0], "reject");
    EXPECT_EQ(last[1], "node:11");
    EXPECT_NE(last[4].find("国家节点未找到"), std::string::npos) << last[4];
    const json history = ShowCase(guangdong_, Token(guangdong_, "registrar"), id)["history"];
    ASSERT_TRUE(history.is_array() && !history.empty()) << history.dump();
    EXPECT_NE(history.back().value("reason", "").find("国家节点未找到"), std::string::npos)
        << history.dump();
  }
  EXPECT_EQ(QueryRows(national_.url,
                      "SELECT to_case_id, state FROM exchange_transfer ORDER BY to_case_id"),
            (Rows{{unknown_case, "refused"}, {misnamed_case, "refused"}}));

  // 北京 never saw either: no case, the child in school there, untouched.
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(
      QueryInt(beijing_.url, "SELECT COUNT(*) FROM wf_case WHERE type = 'transfer.external_out'"),
      0);
  EXPECT_EQ(QueryInt(beijing_.url, "SELECT COUNT(*) FROM exchange_transfer_out"), 0);
  EXPECT_TRUE(HasGauge(beijing_.serve->Metrics(), "nemis_exchange_transfer_cases_opened", 0))
      << beijing_.serve->Metrics();
  EXPECT_EQ(QueryText(beijing_.url, "SELECT status FROM student WHERE " + ChildOn(beijing_)), "01");
  EXPECT_EQ(ChildChanges(beijing_), Rows{});
  EXPECT_EQ(QueryInt(guangdong_.url, "SELECT COUNT(*) FROM student WHERE " + ChildOn(guangdong_)),
            0);
  EXPECT_EQ(QueryInt(guangdong_.url, "SELECT COUNT(*) FROM wf_case WHERE status = 'open'"), 0);
}

}  // namespace
}  // namespace nemis::it
