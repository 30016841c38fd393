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
// `decide`). A third province registering the child after a resolution is a new conflict, and
// a case in that province.
//
// SQLite stores; each node a `nemis serve` child (support/exchange_serve) with its own store,
// keys, field keys and port, the provinces certified by the national CA through the command
// line. The timeouts are generous (a loaded 2-core machine) and nothing is asserted about how
// long a step takes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "crypto/field_cipher.hpp"
#include "crypto/field_key_store.hpp"
#include "exchange_serve.hpp"
#include "exchange_store.hpp"
#include "http_client.hpp"
#include "personal_data_scan.hpp"
#include "process.hpp"
#include "registry/personal_record.hpp"
#include "registry/student_lock.hpp"
#include "test_data.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::it {
namespace {

using namespace std::chrono_literals;
using Settings = std::map<std::string, std::string>;
using Rows = std::vector<std::vector<std::string>>;
using nlohmann::json;

constexpr int kRosterStudents = 30;  // each province's own students besides the child

// A port nothing listens on now (the national node's, which the provinces must know before
// it starts).
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

// A node: its code, its settings over the test's directory, its school, its `nemis serve`.
struct Node {
  std::string code, name;
  Settings settings;
  std::string url;       // the store
  std::string key_file;  // field keys
  School school;         // provinces: the school the child is registered at
  std::string county;    // the school's county
  std::unique_ptr<Serve> serve;
};

// The child both provinces register: a resident ID of 北京's 西城区 which neither generated
// roster holds (fixed seeds), with a correct GB 11643 check character.
const IdSource::Person kChild{MakeIdNumber("110102", "20170315", 517), "2017-03-15", 1};

class ExchangeConflictsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    national_ = MakeNode("000000", "national", "national");
    guangdong_ = MakeNode("440000", "广东", "provincial");
    beijing_ = MakeNode("110000", "北京", "provincial");
    shanghai_ = MakeNode("310000", "上海", "provincial");
  }
  void TearDown() override {
    // The nodes' logs hold no citizen ID number (the child's least of all).
    for (Node* n : {&shanghai_, &beijing_, &guangdong_, &national_}) {
      if (!n->serve) continue;
      const std::string logs = n->serve->Log();
      n->serve->Stop();
      EXPECT_TRUE(FindIdNumbers(logs).empty()) << n->name << " logged a citizen ID number";
      EXPECT_EQ(logs.find(kChild.id_number), std::string::npos) << n->name;
    }
  }

  Node MakeNode(const std::string& code, const std::string& name, const std::string& role) {
    Node n;
    n.code = code;
    n.name = name;
    n.url = "sqlite:" + dir_.File(code + ".db");
    n.key_file = dir_.File(code + ".keys");
    n.settings = {{"store.url", n.url},
                  {"node.key_dir", dir_.File(code + "-keys")},
                  {"security.field_key_file", n.key_file},
                  {"node.code", code},
                  {"node.role", role},
                  {"identity.argon2_memory_kib", "1024"}};  // accounts made for one test
    return n;
  }

  RunResult Ok(const std::vector<std::string>& args, const Node& node) {
    RunResult r = RunNemis(args, node.settings);
    EXPECT_TRUE(r.status.Ok()) << node.name << ": " << r.Describe();
    return r;
  }

  // The national CA and node; each province's key certified by it and installed.
  void Enrol() {
    Ok({"node", "init"}, national_);
    for (Node* p : Provinces()) {
      RunResult key = Ok({"node", "init"}, *p);
      ASSERT_NE(key.out.find("BEGIN PUBLIC KEY"), std::string::npos) << key.Describe();
      const std::string pub = dir_.File(p->code + ".pub"), crt = dir_.File(p->code + ".crt");
      WriteFile(pub, key.out);
      RunResult cert = Ok({"node", "issue", "--code", p->code, "--public-key", pub}, national_);
      WriteFile(crt, cert.out);
      Ok({"node", "install", "--certificate", crt, "--ca", dir_.File("000000-keys/ca.crt")}, *p);
    }
  }

  // Each province's store: its division tree (by node.code), one school and its students.
  void Seed() {
    int seed = 11;
    for (Node* p : Provinces()) {
      Ok({"gen", "--students", std::to_string(kRosterStudents), "--seed", std::to_string(seed++),
          "--province", p->code, "--db", p->url},
         *p);
      Rows school = QueryRows(p->url,
                              "SELECT code, name, county_code FROM org WHERE level = 4 AND "
                              "category = '21' ORDER BY code LIMIT 1");
      ASSERT_EQ(school.size(), 1u) << p->name << " has no primary school";
      p->school = {school[0][0], school[0][1], "", "21", school[0][2]};
      p->county = school[0][2];
    }
    ASSERT_NE(guangdong_.school.name, beijing_.school.name);
  }

  // The provinces first (polling the national node's port, chosen now), then the national
  // node pulling them, 200 log rows a batch, retrying at most every second.
  void StartNodes() {
    const int national_port = FreePort();
    const std::string national_url = "http://127.0.0.1:" + std::to_string(national_port);
    for (Node* p : Provinces()) {
      Settings s = p->settings;
      s["exchange.national"] = national_url;
      s["exchange.conflict_poll_ms"] = "200";
      p->serve = std::make_unique<Serve>(p->name, s, dir_.File(p->code + "-run"));
      p->serve->Start();
    }
    Settings s = national_.settings;
    std::string sources;
    for (Node* p : Provinces()) sources += p->code + "=" + p->serve->Url() + ";";
    s["exchange.sources"] = sources;
    s["exchange.batch_changes"] = "200";
    s["exchange.retry_max_ms"] = "1000";
    national_.serve = std::make_unique<Serve>("national", s, dir_.File("000000-run"));
    national_.serve->Start(national_port);
  }

  // The node's field keys (made by its first nemis process: never made up here).
  crypto::FieldCipher Cipher(const Node& node) {
    if (!std::filesystem::exists(node.key_file))
      throw std::runtime_error("no field key file yet: " + node.key_file);
    auto cipher = crypto::LoadOrCreateFieldKeys(node.key_file);
    if (!cipher.ok()) throw std::runtime_error(cipher.error().message);
    return std::move(*cipher);
  }
  // The SQL condition selecting the child's students on `node` (its own blind index), of the
  // student table or of its alias `s`.
  std::string ChildOn(const Node& node, const std::string& table = "") {
    const std::string t = table.empty() ? "" : table + ".";
    return t + "id_type = '1' AND " + t + "id_index = '" +
           registry::DocumentIndex(Cipher(node), kChild.id_number) + "'";
  }
  std::string ChildNumber() const { return "G" + kChild.id_number; }

  // An API token for a new account `login` with `role` at `org` on a province's node.
  std::string TokenFor(const Node& node, const std::string& login, const std::string& role,
                       const std::string& org) {
    Ok({"user", "add", login, "--role", role, "--org", org, "--db", node.url}, node);
    RunResult token = Ok({"token", "create", login, "--db", node.url}, node);
    std::string out = token.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }
  std::string RegistrarToken(Node& node) {
    auto [it, made] = registrar_tokens_.try_emplace(node.code);
    if (made)
      it->second =
          TokenFor(node, "registrar." + node.school.code, "school_registrar", node.school.code);
    return it->second;
  }

  // The child registered at the province's school by its registrar.
  void RegisterChild(Node& node) {
    HttpResponse r =
        node.serve->ClientWithToken(RegistrarToken(node))
            .PostJson("/api/v1/students", StudentBody(node.school, "林小雨", kChild, 3, "2"));
    ASSERT_EQ(r.status, 201) << node.name << ": " << r.Describe();
    ASSERT_EQ(r.Json().value("studentNumber", ""), ChildNumber()) << r.Describe();
  }

  // The open exchange.duplicate cases of a province's node: id, subject, waiting_org, details.
  Rows OpenDuplicateCases(const Node& node) {
    return QueryRows(node.url,
                     "SELECT id, subject, waiting_org, details FROM wf_case "
                     "WHERE type = 'exchange.duplicate' AND status = 'open' ORDER BY id");
  }
  std::string CaseStatus(const Node& node, const std::string& id) {
    return QueryText(node.url, "SELECT status FROM wf_case WHERE id = " + id);
  }

  // The national checkpoint of `province` has passed everything in its change log now.
  void ExpectPulledUpToNow(const Node& province) {
    const int64_t head = QueryInt(province.url, "SELECT MAX(seq) FROM change_log");
    int64_t checkpoint = -1;
    EXPECT_TRUE(Eventually([&] {
      checkpoint = QueryInt(national_.url,
                            "SELECT COALESCE(MAX(last_seq), 0) FROM exchange_checkpoint WHERE "
                            "source = '" +
                                province.code + "'");
      return checkpoint >= head;
    })) << "the national node did not pull "
        << province.name << " up to " << head << " (checkpoint " << checkpoint
        << ")\nnational log:\n"
        << national_.serve->Logs();
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
    const std::string k = Digest(kept.settings, kept.code);
    EXPECT_EQ(k, Digest(national_.settings, kept.code));
    EXPECT_EQ(DigestCount(k, "students"), kRosterStudents + 1) << k;

    ExpectPulledUpToNow(gave_up);
    EXPECT_EQ(
        QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_conflict WHERE state <> 'resolved'"),
        0);
    EXPECT_EQ(QueryInt(national_.url, "SELECT COUNT(*) FROM exchange_conflict"), 1);
    std::this_thread::sleep_for(1s);
    for (const Node* n : {&kept, &gave_up})
      EXPECT_EQ(QueryInt(n->url, "SELECT COUNT(*) FROM wf_case WHERE status = 'open'"), 0)
          << n->name;

    const std::string g = Digest(gave_up.settings, gave_up.code);
    EXPECT_EQ(g, Digest(national_.settings, gave_up.code));
    EXPECT_EQ(DigestCount(g, "students"), kRosterStudents) << g;
    EXPECT_EQ(QueryInt(gave_up.url, "SELECT COUNT(*) FROM student"), kRosterStudents + 1);
  }

  // The end of the national node's, 广东's and 北京's logs, for failure messages.
  std::string Logs() const {
    std::string out;
    for (const Node* n : {&national_, &guangdong_, &beijing_})
      out += "\n" + n->name + " log:\n" + n->serve->Logs();
    return out;
  }

  // Approves or rejects the current step of a case as the account of `token`.
  void Act(Node& node, const std::string& token, const std::string& case_id,
           const std::string& action) {
    HttpClient client = node.serve->ClientWithToken(token);
    HttpResponse shown = client.Get("/api/v1/cases/" + case_id);
    ASSERT_EQ(shown.status, 200) << node.name << ": " << shown.Describe();
    const std::string version =
        "\"v" + std::to_string(shown.Json()["version"].get<int64_t>()) + "\"";
    const std::string body =
        action == "reject" ? json{{"reason", "经核实该生不在本校就读"}}.dump() : "{}";
    HttpResponse r = client.Post("/api/v1/cases/" + case_id + "/" + action, body,
                                 {{"Content-Type", "application/json"}, {"If-Match", version}});
    ASSERT_EQ(r.status, 200) << node.name << " " << action << ": " << r.Describe();
  }

  // Everything up to two open cases, one in each province: the three nodes running, the
  // child registered in 北京, pulled by the national node, then registered in 广东.
  void MakeConflict() {
    Enrol();
    if (HasFatalFailure()) return;
    Seed();
    if (HasFatalFailure()) return;
    StartNodes();

    RegisterChild(beijing_);
    if (HasFatalFailure()) return;
    const std::string on_national = ChildOn(national_);
    ASSERT_TRUE(Eventually([&] {
      return QueryInt(national_.url, "SELECT COUNT(*) FROM student WHERE " + on_national) == 1;
    })) << "北京's registration did not reach the national node\nnational log:\n"
        << national_.serve->Logs();
    EXPECT_EQ(QueryText(national_.url, "SELECT province_code FROM student WHERE " + on_national),
              "110000");

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

  // The one open case of a province's node; "" (with a failure) otherwise.
  std::string TheCase(const Node& node) {
    Rows cases = OpenDuplicateCases(node);
    EXPECT_EQ(cases.size(), 1u) << node.name;
    return cases.size() == 1 ? cases[0][0] : "";
  }

  testing::TempDir dir_;
  // The provinces taking part: 广东 and 北京, and 上海 when a test asks for it.
  std::vector<Node*> Provinces() {
    if (with_shanghai_) return {&guangdong_, &beijing_, &shanghai_};
    return {&guangdong_, &beijing_};
  }

  Node national_, guangdong_, beijing_, shanghai_;
  bool with_shanghai_ = false;
  std::map<std::string, std::string> registrar_tokens_;  // by node code
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
    EXPECT_EQ(details.find(kChild.id_number), std::string::npos) << "the ID in clear: " << details;
    EXPECT_EQ(details.find(ChildNumber()), std::string::npos) << details;
    EXPECT_EQ(details.find("林小雨"), std::string::npos) << "the name in clear: " << details;
    const json d = json::parse(details);
    EXPECT_EQ(d["other"]["provinceCode"], other->code) << details;
    EXPECT_EQ(d["other"]["name"], "林**") << details;  // the first character, a star for each other
    EXPECT_EQ(d["side"], node == &guangdong_ ? "incoming" : "holder") << details;
    // This province's student as other cases show theirs: masked, at its school.
    EXPECT_EQ(d["student"]["name"], "林**") << details;
    EXPECT_EQ(d["student"]["number"],
              ChildNumber().substr(0, 5) + std::string(10, '*') + ChildNumber().substr(15))
        << details;
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
    EXPECT_NE(metrics.find("\nnemis_exchange_conflict_cases_opened 1\n"), std::string::npos)
        << metrics;
    EXPECT_TRUE(Eventually([&, at = node] {
      return at->serve->Metrics().find("\nnemis_exchange_conflict_poll_ok 1\n") !=
             std::string::npos;
    })) << node->serve->Metrics();
    // It is in the school registrar's inbox.
    HttpResponse inbox =
        node->serve->ClientWithToken(RegistrarToken(*node)).Get("/api/v1/cases?waiting=me");
    ASSERT_EQ(inbox.status, 200) << inbox.Describe();
    ASSERT_EQ(inbox.Json()["items"].size(), 1u) << inbox.Describe();
    EXPECT_EQ(std::to_string(inbox.Json()["items"][0]["id"].get<int64_t>()), cases[0][0]);
  }

  // The national node audited each province's asking.
  for (const char* account : {"node:440000", "node:110000"})
    EXPECT_GE(QueryInt(national_.url,
                       std::string("SELECT COUNT(*) FROM audit_log WHERE action = "
                                   "'exchange.conflicts' AND outcome = 'success' AND account = '") +
                           account + "'"),
              1)
        << account;
}

TEST_F(ExchangeConflictsTest, TheCaseResolvesToOneRegistrationWhenTheIncomingOneYields) {
  MakeConflict();
  if (HasFatalFailure()) return;
  const std::string gd_case = TheCase(guangdong_), bj_case = TheCase(beijing_);
  ASSERT_FALSE(gd_case.empty() || bj_case.empty());

  // 广东's school finds the child does not study there: its registration yields.
  Act(guangdong_, RegistrarToken(guangdong_), gd_case, "reject");
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
  Act(beijing_, RegistrarToken(beijing_), bj_case, "reject");
  if (HasFatalFailure()) return;
  Act(guangdong_, RegistrarToken(guangdong_), gd_case, "approve");
  if (HasFatalFailure()) return;
  EXPECT_EQ(CaseStatus(guangdong_, gd_case), "open");  // the county's step now
  EXPECT_EQ(QueryText(guangdong_.url, "SELECT waiting_org FROM wf_case WHERE id = " + gd_case),
            guangdong_.county);
  Act(guangdong_,
      TokenFor(guangdong_, "county." + guangdong_.county, "county_registrar", guangdong_.county),
      gd_case, "approve");
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
    Act(*node, RegistrarToken(*node), kase, "approve");
    if (HasFatalFailure()) return;
    Act(*node, TokenFor(*node, "county." + node->county, "county_registrar", node->county), kase,
        "approve");
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
  EXPECT_EQ(disputes.body.find("林小雨"), std::string::npos) << disputes.body;
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
  for (const Node* n : {&beijing_, &guangdong_}) {
    ExpectPulledUpToNow(*n);
    EXPECT_EQ(Digest(n->settings, n->code), Digest(national_.settings, n->code)) << n->name;
  }
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
  Act(guangdong_, RegistrarToken(guangdong_), gd_case, "reject");
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
