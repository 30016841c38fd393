// One person, one number across provinces, between three running nodes as three data centres
// run them: the national node (000000) pulls 广东 (440000) and 北京 (110000); each province's
// `nemis serve` polls the national node for the conflicts about its students
// (exchange.national, exchange.conflict_poll_ms). The same child registered in 北京 and then in
// 广东 is kept out of the national node as a conflict, and becomes an approval case
// (exchange.duplicate) at the child's school in both provinces, showing the other province's
// school but no ID or student number in clear. The cases' verdicts resolve it to one
// registration:
//   - 广东 (the incoming registration) gives its registration up: 北京's stays, 广东 ends its
//     own (status 99, a 取消学籍 change), 北京's case is closed by its node, the national node
//     keeps one registration of the child, and 广东's ended registration, pulled later, is not
//     a new conflict;
//   - 北京 (the holder) gives its registration up and 广东 keeps it (both its steps approved by
//     two people): the national copy becomes 广东's, 北京 ends its own.
// Afterwards `nemis exchange digest` agrees between each province and the national node (the
// registration given up is left out of its province's digest). Both provinces keeping theirs
// is a dispute the ministry settles on the national node (`nemis exchange disputes`,
// `decide`). A third province (上海) registering the child after a resolution is a new
// conflict, and a case in that province.
//
// The nodes, the child and the people acting on cases are support/three_nodes' (SQLite stores,
// each node a `nemis serve` child, the provinces certified by the national CA through the
// command line). The timeouts are generous (a loaded 2-core machine) and nothing is asserted
// about how long a step takes.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "exchange_serve.hpp"
#include "exchange_store.hpp"
#include "http_client.hpp"
#include "process.hpp"
#include "registry/student_lock.hpp"
#include "three_nodes.hpp"

namespace nemis::it {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Why a school rejects its case about the child: the child does not study there.
constexpr const char* kNotAtThisSchool = "经核实该生不在本校就读";

class ExchangeConflictsTest : public ThreeNodesTest {
 protected:
  // The open exchange.duplicate cases of a province's node: id, subject, waiting_org, details.
  static Rows OpenDuplicateCases(const Node& node) {
    return QueryRows(node.url,
                     "SELECT id, subject, waiting_org, details FROM wf_case "
                     "WHERE type = 'exchange.duplicate' AND status = 'open' ORDER BY id");
  }

  // The one open case of a province's node; "" (with a failure) otherwise.
  static std::string TheCase(const Node& node) {
    Rows cases = OpenDuplicateCases(node);
    EXPECT_EQ(cases.size(), 1u) << node.name;
    return cases.size() == 1 ? cases[0][0] : "";
  }

  // Everything up to two open cases, one in each province: the three nodes running, the
  // child registered in 北京, pulled by the national node, then registered in 广东.
  void MakeConflict() {
    StartWithChildInBeijing();
    if (HasFatalFailure()) return;
    RegisterChild(guangdong_);
    if (HasFatalFailure()) return;
    ASSERT_TRUE(Eventually([&] {
      return QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_conflict") >= 1 &&
             OpenDuplicateCases(guangdong_).size() >= 1 && OpenDuplicateCases(beijing_).size() >= 1;
    })) << "no conflict case in both provinces: national conflicts "
        << QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_conflict") << ", 广东 cases "
        << OpenDuplicateCases(guangdong_).size() << ", 北京 cases "
        << OpenDuplicateCases(beijing_).size() << Logs();
    // A few more polling rounds: a conflict opens one case however often it is reported.
    std::this_thread::sleep_for(1s);
  }

  // A conflict resolved for the province that `kept` the registration, as the nodes end up. The
  // province that `gave_up` ended its registration with a 取消学籍 change naming its case
  // (`gave_up_case`, which stays rejected); `kept`'s student is untouched. The national node
  // holds the child once, as `kept` holds it, and has pulled `kept` and holds what it holds (its
  // own students and the child); `gave_up`'s ended registration, pulled too, is neither a new
  // conflict nor a new case in either province. `gave_up` keeps its ended registration, which
  // the national node does not take; the digest leaves out a registration its province gave up,
  // so the two agree on `gave_up`'s own students.
  void ExpectResolved(const Node& kept, const Node& gave_up, const std::string& gave_up_case) {
    EXPECT_EQ(QueryRows(gave_up.url,
                        "SELECT c.change_type, c.status_before, c.status_after, c.case_id FROM "
                        "student_change c JOIN student s ON s.id = c.student_id WHERE " +
                            ChildOn(gave_up, "s")),
              (Rows{{"18", "01", "99", gave_up_case}}));
    EXPECT_EQ(CaseStatus(gave_up, gave_up_case), "rejected");
    EXPECT_EQ(QueryText(gave_up.url, "SELECT outcome FROM exchange_conflict_case"), "yielded");
    EXPECT_EQ(QueryText(kept.url, "SELECT status FROM student WHERE " + ChildOn(kept)), "01");
    EXPECT_EQ(QueryInt(kept.url, "SELECT COUNT(*) FROM student_change"), 0);

    const std::string child = ChildOn(national_);
    EXPECT_EQ(QueryInt(national_.url, "SELECT COUNT(*) FROM student WHERE " + child), 1);
    EXPECT_EQ(QueryText(national_.url, "SELECT province_code FROM student WHERE " + child),
              kept.code);

    ExpectPulledUpToNow(kept);
    ExpectAgreesWithNational(kept, kRosterStudents + 1);

    ExpectPulledUpToNow(gave_up);
    EXPECT_EQ(
        QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_conflict WHERE state <> 'resolved'"),
        0);
    EXPECT_EQ(QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_conflict"), 1);
    ExpectNoCaseLeftOpen();

    ExpectAgreesWithNational(gave_up, kRosterStudents);
    EXPECT_EQ(QueryInt(gave_up.url, "SELECT COUNT(*) FROM student"), kRosterStudents + 1);
  }
};

TEST_F(ExchangeConflictsTest, ASecondRegistrationBecomesACaseInBothProvinces) {
  MakeConflict();
  if (HasFatalFailure()) return;

  // The national node: one open conflict, 广东's record kept out, 北京's holding the number.
  Rows conflicts = QueryRows(national_.url,
                             "SELECT state, kind, source, holder_province FROM exchange_conflict");
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0], (std::vector<std::string>{"open", "number_held", "440000", "110000"}));
  EXPECT_EQ(QueryInt(national_.url, "SELECT COUNT(*) FROM student WHERE " + ChildOn(national_)), 1);

  // Each province: exactly one open case, about its own student, waiting at its school, showing
  // the other province's school and no number in clear.
  for (auto [node, other] :
       {std::pair{&guangdong_, &beijing_}, std::pair{&beijing_, &guangdong_}}) {
    SCOPED_TRACE(node->name);
    Rows cases = OpenDuplicateCases(*node);
    ASSERT_EQ(cases.size(), 1u);
    EXPECT_EQ(QueryInt(node->url, "SELECT COUNT(*) FROM wf_case WHERE type = 'exchange.duplicate'"),
              1);
    EXPECT_EQ(cases[0][1], registry::StudentSubject(Cipher(*node), ChildNumber()));
    EXPECT_EQ(cases[0][2], node->school.code);
    const std::string& details = cases[0][3];
    EXPECT_NE(details.find(other->school.name), std::string::npos) << details;
    EXPECT_NE(details.find(other->school.code), std::string::npos) << details;
    // This province's student as other cases show theirs: masked, at its school.
    ExpectChildMaskedIn(details);
    const json d = json::parse(details);
    EXPECT_EQ(d["other"]["provinceCode"], other->code) << details;
    EXPECT_EQ(d["other"]["name"], "林**") << details;  // the first character, a star for each other
    EXPECT_EQ(d["side"], node == &guangdong_ ? "incoming" : "holder") << details;
    EXPECT_EQ(d["school"]["code"], node->school.code) << details;
    EXPECT_EQ(d["school"]["name"], node->school.name) << details;
    // The case is the student's, at its student's row; both registrations stand meanwhile.
    EXPECT_EQ(QueryText(node->url, "SELECT status FROM student WHERE " + ChildOn(*node)), "01");
    EXPECT_EQ(QueryText(node->url,
                        "SELECT k.state FROM exchange_conflict_case k JOIN student s ON "
                        "s.id = k.student_id WHERE " +
                            ChildOn(*node, "s")),
              "open");
    // The node's /metrics show the poll going through and the case it opened.
    const std::string metrics = node->serve->Metrics();
    EXPECT_TRUE(HasGauge(metrics, "nemis_exchange_conflict_cases_opened", 1)) << metrics;
    EXPECT_TRUE(Eventually([&, at = node] {
      return HasGauge(at->serve->Metrics(), "nemis_exchange_conflict_poll_ok", 1);
    })) << node->serve->Metrics();
    // It is in the school registrar's inbox.
    HttpResponse inbox =
        node->serve->ClientWithToken(Token(*node, "registrar")).Get("/api/v1/cases?waiting=me");
    ASSERT_EQ(inbox.status, 200) << inbox.Describe();
    ASSERT_EQ(inbox.Json()["items"].size(), 1u) << inbox.Describe();
    EXPECT_EQ(std::to_string(inbox.Json()["items"][0]["id"].get<int64_t>()), cases[0][0]);
  }

  // The national node audited each province's asking.
  ExpectCalledByBothProvinces("exchange.conflicts");
}

TEST_F(ExchangeConflictsTest, TheCaseResolvesToOneRegistrationWhenTheIncomingOneYields) {
  MakeConflict();
  if (HasFatalFailure()) return;
  const std::string gd_case = TheCase(guangdong_), bj_case = TheCase(beijing_);
  ASSERT_FALSE(gd_case.empty() || bj_case.empty());

  // 广东's school finds the child does not study there: its registration yields.
  Act(guangdong_, Token(guangdong_, "registrar"), gd_case, "reject", kNotAtThisSchool);
  if (HasFatalFailure()) return;
  EXPECT_EQ(CaseStatus(guangdong_, gd_case), "rejected");

  const std::string gd_child = ChildOn(guangdong_);
  ASSERT_TRUE(Eventually([&] {
    return QueryText(guangdong_.url, "SELECT status FROM student WHERE " + gd_child) == "99" &&
           CaseStatus(beijing_, bj_case) == "cancelled";
  })) << "广东's student "
      << QueryText(guangdong_.url, "SELECT status FROM student WHERE " + gd_child)
      << ", 北京's case " << CaseStatus(beijing_, bj_case) << Logs();

  // The national node: resolved for 北京.
  EXPECT_EQ(QueryRows(national_.url,
                      "SELECT state, winner, incoming_verdict, "
                      "COALESCE(holder_verdict, '') FROM exchange_conflict"),
            (Rows{{"resolved", "110000", "yield", ""}}));
  EXPECT_GE(QueryInt(national_.url,
                     "SELECT COUNT(*) FROM audit_log WHERE action = 'exchange.conflict_verdicts' "
                     "AND account = 'node:440000' AND details LIKE '%\"resolved\":1%'"),
            1);
  // 北京: its case closed by the node.
  EXPECT_EQ(QueryText(beijing_.url, "SELECT outcome FROM exchange_conflict_case"), "kept");
  EXPECT_EQ(QueryText(beijing_.url, "SELECT waiting_org FROM wf_case WHERE id = " + bj_case), "");
  EXPECT_EQ(QueryText(beijing_.url, "SELECT actor FROM wf_case_event WHERE case_id = " + bj_case +
                                        " ORDER BY id DESC LIMIT 1"),
            "system:exchange");

  // The country's view, as it answers 广东: 北京's registration.
  RunResult found = Ok(
      {"exchange", "lookup", "--national", national_.serve->Url(), "--id-number", kChild.id_number},
      guangdong_);
  EXPECT_NE(found.out.find("110000 " + beijing_.school.name), std::string::npos) << found.out;
  EXPECT_NE(found.out.find("学籍状态 01"), std::string::npos) << found.out;

  // 广东: its registration ended with a 取消学籍 change naming the case; the case stays rejected.
  // 北京's student untouched. The national node holds the child once, 北京's, and what 北京
  // holds; 广东's ended registration, pulled, is not a new conflict, nor a new case; 广东 keeps
  // it, and agrees with the national node on its own students.
  ExpectResolved(beijing_, guangdong_, gd_case);
}

TEST_F(ExchangeConflictsTest, TheIncomingRegistrationReplacesTheHolderWhenTheHolderYields) {
  MakeConflict();
  if (HasFatalFailure()) return;
  const std::string gd_case = TheCase(guangdong_), bj_case = TheCase(beijing_);
  ASSERT_FALSE(gd_case.empty() || bj_case.empty());

  // 北京's school finds the child does not study there; 广东's school and county confirm it does.
  Act(beijing_, Token(beijing_, "registrar"), bj_case, "reject", kNotAtThisSchool);
  if (HasFatalFailure()) return;
  Act(guangdong_, Token(guangdong_, "registrar"), gd_case, "approve");
  if (HasFatalFailure()) return;
  EXPECT_EQ(CaseStatus(guangdong_, gd_case), "open");  // the county's step now
  EXPECT_EQ(QueryText(guangdong_.url, "SELECT waiting_org FROM wf_case WHERE id = " + gd_case),
            guangdong_.county);
  Act(guangdong_, Token(guangdong_, "county"), gd_case, "approve");
  if (HasFatalFailure()) return;
  EXPECT_EQ(CaseStatus(guangdong_, gd_case), "approved");

  const std::string bj_child = ChildOn(beijing_);
  ASSERT_TRUE(Eventually([&] {
    return QueryText(beijing_.url, "SELECT status FROM student WHERE " + bj_child) == "99" &&
           QueryText(guangdong_.url, "SELECT outcome FROM exchange_conflict_case") == "kept";
  })) << "北京's student "
      << QueryText(beijing_.url, "SELECT status FROM student WHERE " + bj_child) << Logs();

  EXPECT_EQ(
      QueryRows(national_.url,
                "SELECT state, winner, incoming_verdict, holder_verdict FROM exchange_conflict"),
      (Rows{{"resolved", "440000", "keep", "yield"}}));
  // 广东's case keeps its verdict (北京's: below).
  EXPECT_EQ(CaseStatus(guangdong_, gd_case), "approved");

  // The country's view, as it answers 北京: 广东's registration.
  RunResult found = Ok(
      {"exchange", "lookup", "--national", national_.serve->Url(), "--id-number", kChild.id_number},
      beijing_);
  EXPECT_NE(found.out.find("440000 " + guangdong_.school.name), std::string::npos) << found.out;
  // 北京 ended its registration, its case rejected; 广东's stands. The national copy is 广东's
  // now: once, in 广东, as 广东 holds it. 北京's ended registration, pulled, is not a new
  // conflict, nor a new case; 北京 keeps it, which the national node holds as 广东's: left out
  // of 北京's digest, the two agree on 北京's own students.
  ExpectResolved(guangdong_, beijing_, bj_case);
}

// Both provinces keep their registration (each school and county confirm): disputed, listed
// by `nemis exchange disputes` and GET /api/v1/exchange/conflicts on the national node; the
// ministry's decision through the API (for a party only, with a reason; `nemis exchange decide`
// refuses a non-party too) settles it for 北京: 广东 ends its registration although its case
// approved it, and both provinces agree with the national node again.
TEST_F(ExchangeConflictsTest, ADisputeIsSettledByTheMinistry) {
  MakeConflict();
  if (HasFatalFailure()) return;
  const std::string gd_case = TheCase(guangdong_), bj_case = TheCase(beijing_);
  ASSERT_FALSE(gd_case.empty() || bj_case.empty());
  for (auto [node, kase] : {std::pair{&guangdong_, gd_case}, std::pair{&beijing_, bj_case}}) {
    Act(*node, Token(*node, "registrar"), kase, "approve");
    if (HasFatalFailure()) return;
    Act(*node, Token(*node, "county"), kase, "approve");
    if (HasFatalFailure()) return;
  }
  ASSERT_TRUE(Eventually([&] {
    return QueryText(national_.url, "SELECT state FROM exchange_conflict") == "disputed";
  })) << QueryText(national_.url, "SELECT state FROM exchange_conflict")
      << Logs();
  const std::string id = QueryText(national_.url, "SELECT id FROM exchange_conflict");

  RunResult listed = Ok({"exchange", "disputes"}, national_);
  EXPECT_NE(listed.out.find(id + ",number_held,440000,keep,110000,keep,disputed,"),
            std::string::npos)
      << listed.out;
  RunResult outsider =
      RunNemis({"exchange", "decide", "--conflict", id, "--winner", "310000", "--reason", "核实"},
               national_.settings);
  EXPECT_EQ(outsider.status.code, 2) << outsider.Describe();
  EXPECT_NE(
      outsider.err.find("winner：保留学籍的省须是冲突的一方（110000 或 440000）（not_a_party）"),
      std::string::npos)
      << outsider.err;

  // The ministry's registry office through the API (the portal's 跨省重复学籍裁定): a
  // nationwide approver lists the dispute with both sides' national view, names masked; a
  // province's approver on the national node may not; a non-party or no reason is refused.
  HttpClient ministry = national_.serve->ClientWithToken(
      TokenFor(national_, "ministry.registry", "national_registrar", "000000"));
  HttpResponse disputes = ministry.Get("/api/v1/exchange/conflicts?state=disputed");
  ASSERT_EQ(disputes.status, 200) << disputes.Describe();
  const json items = disputes.Json()["items"];
  ASSERT_EQ(items.size(), 1u) << disputes.Describe();
  EXPECT_EQ(std::to_string(items[0]["id"].get<int64_t>()), id);
  EXPECT_EQ(items[0]["incoming"]["province"], "440000");
  EXPECT_EQ(items[0]["incoming"]["verdict"], "keep");
  EXPECT_EQ(items[0]["holder"]["province"], "110000");
  EXPECT_EQ(items[0]["holder"]["verdict"], "keep");
  EXPECT_EQ(items[0]["holder"]["name"], "林**");
  EXPECT_EQ(disputes.body.find(kChildName), std::string::npos) << disputes.body;
  EXPECT_EQ(disputes.body.find(kChild.id_number), std::string::npos) << disputes.body;
  HttpResponse province_office =
      national_.serve
          ->ClientWithToken(TokenFor(national_, "gd.registry", "province_registrar", "440000"))
          .Get("/api/v1/exchange/conflicts");
  EXPECT_EQ(province_office.status, 403) << province_office.Describe();
  const std::string decision = "/api/v1/exchange/conflicts/" + id + "/decision";
  HttpResponse not_a_party =
      ministry.PostJson(decision, {{"winner", "310000"}, {"reason", "核实"}});
  EXPECT_EQ(not_a_party.status, 422) << not_a_party.Describe();
  EXPECT_NE(not_a_party.body.find("not_a_party"), std::string::npos) << not_a_party.body;
  HttpResponse no_reason = ministry.PostJson(decision, {{"winner", "110000"}});
  EXPECT_EQ(no_reason.status, 422) << no_reason.Describe();
  EXPECT_NE(no_reason.body.find("\"reason\""), std::string::npos) << no_reason.body;
  HttpResponse decided =
      ministry.PostJson(decision, {{"winner", "110000"}, {"reason", "经两省核实，学生在北京就读"}});
  ASSERT_EQ(decided.status, 200) << decided.Describe();
  EXPECT_EQ(ministry.PostJson(decision, {{"winner", "110000"}, {"reason", "再次"}}).status, 409);
  const std::string gd_child = ChildOn(guangdong_);
  ASSERT_TRUE(Eventually([&] {
    return QueryText(guangdong_.url, "SELECT status FROM student WHERE " + gd_child) == "99" &&
           QueryText(beijing_.url, "SELECT outcome FROM exchange_conflict_case") == "kept";
  })) << Logs();
  EXPECT_EQ(QueryRows(national_.url, "SELECT state, winner FROM exchange_conflict"),
            (Rows{{"resolved", "110000"}}));
  EXPECT_EQ(
      QueryInt(national_.url,
               "SELECT COUNT(*) FROM audit_log WHERE action = 'exchange.decide' AND target = '" +
                   id + "' AND details LIKE '%经两省核实%'"),
      1);
  EXPECT_EQ(QueryText(guangdong_.url, "SELECT outcome FROM exchange_conflict_case"), "yielded");
  EXPECT_EQ(CaseStatus(guangdong_, gd_case), "approved");  // its verdict stays in its history
  EXPECT_EQ(QueryText(beijing_.url, "SELECT status FROM student WHERE " + ChildOn(beijing_)), "01");
  // 北京 holds the child, 广东 gave its registration up (left out of its digest).
  for (const Node* n : {&beijing_, &guangdong_}) ExpectPulledUpToNow(*n);
  ExpectAgreesWithNational(beijing_, kRosterStudents + 1);
  ExpectAgreesWithNational(guangdong_, kRosterStudents);
}

// A conflict resolved between two provinces settles the number between them only: a third
// province's first registration of the child afterwards is not dropped as given up (the
// national node's check names the conflict's parties) but is a new conflict with the
// registration that stood, and a case in that province.
TEST_F(ExchangeConflictsTest, AThirdProvinceRegisteringTheChildAfterAResolutionConflicts) {
  with_shanghai_ = true;
  MakeConflict();
  if (HasFatalFailure()) return;
  const std::string gd_case = TheCase(guangdong_), bj_case = TheCase(beijing_);
  ASSERT_FALSE(gd_case.empty() || bj_case.empty());
  Act(guangdong_, Token(guangdong_, "registrar"), gd_case, "reject", kNotAtThisSchool);
  if (HasFatalFailure()) return;
  ASSERT_TRUE(Eventually([&] { return CaseStatus(beijing_, bj_case) == "cancelled"; }));
  ExpectPulledUpToNow(guangdong_);

  // Later the child is registered in 上海 too: a new conflict with 北京's registration.
  RegisterChild(shanghai_);
  if (HasFatalFailure()) return;
  ExpectPulledUpToNow(shanghai_);
  EXPECT_EQ(QueryInt(national_.url,
                     "SELECT COUNT(*) FROM exchange_conflict WHERE state = 'open' AND "
                     "source = '310000' AND holder_province = '110000'"),
            1);
  EXPECT_TRUE(Eventually([&] { return OpenDuplicateCases(shanghai_).size() == 1; }, 15s))
      << "上海 has no case about its registration of a child 北京 holds";
}

}  // namespace
}  // namespace nemis::it
