#include "three_nodes.hpp"

#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "crypto/field_key_store.hpp"
#include "exchange_store.hpp"
#include "free_port.hpp"
#include "personal_data_scan.hpp"
#include "registry/personal_record.hpp"

namespace nemis::it {

using namespace std::chrono_literals;

const IdSource::Person kChild{MakeIdNumber("110102", "20170315", 517), "2017-03-15", 1};

void ThreeNodesTest::SetUp() {
  national_ = MakeNode("000000", "national", "national");
  guangdong_ = MakeNode("440000", "广东", "provincial");
  beijing_ = MakeNode("110000", "北京", "provincial");
  shanghai_ = MakeNode("310000", "上海", "provincial");
}

void ThreeNodesTest::TearDown() {
  for (Node* n : {&shanghai_, &beijing_, &guangdong_, &national_}) {
    if (!n->serve) continue;
    n->serve->Stop();
    const std::string logs = EveryRunsLog(*n);
    EXPECT_TRUE(FindIdNumbers(logs).empty()) << n->name << " logged a citizen ID number";
    EXPECT_EQ(logs.find(kChild.id_number), std::string::npos) << n->name;
    for (const std::string& id : never_logged_)
      EXPECT_EQ(logs.find(id), std::string::npos) << n->name;
  }
}

Node ThreeNodesTest::MakeNode(const std::string& code, const std::string& name,
                              const std::string& role) {
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

std::string ThreeNodesTest::EveryRunsLog(const Node& node) const {
  std::string logs;
  const std::filesystem::path run_dir = dir_.File(node.code + "-run");
  for (const auto& entry : std::filesystem::directory_iterator(run_dir))
    if (entry.path().extension() == ".err") logs += ReadFile(entry.path().string());
  return logs;
}

// ----- the nodes -----

std::vector<Node*> ThreeNodesTest::Provinces() {
  if (with_shanghai_) return {&guangdong_, &beijing_, &shanghai_};
  return {&guangdong_, &beijing_};
}

RunResult ThreeNodesTest::Ok(const std::vector<std::string>& args, const Node& node) {
  RunResult r = RunNemis(args, node.settings);
  EXPECT_TRUE(r.status.Ok()) << node.name << ": " << r.Describe();
  return r;
}

void ThreeNodesTest::Enrol() {
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

void ThreeNodesTest::Seed() {
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
  ASSERT_NE(guangdong_.school.code, beijing_.school.code);
  ASSERT_NE(guangdong_.school.name, beijing_.school.name);
}

// The national node pulls 200 log rows a batch, retrying at most every second; the provinces
// poll it every 200 ms.
void ThreeNodesTest::StartNodes(const Settings& province_extra) {
  const int national_port = FreePort();
  const std::string national_url = "http://127.0.0.1:" + std::to_string(national_port);
  for (Node* p : Provinces()) {
    Settings s = p->settings;
    s["exchange.national"] = national_url;
    s["exchange.conflict_poll_ms"] = "200";
    for (const auto& [key, value] : province_extra) s[key] = value;
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

void ThreeNodesTest::StartWithChildInBeijing(const Settings& province_extra) {
  Enrol();
  if (HasFatalFailure()) return;
  Seed();
  if (HasFatalFailure()) return;
  StartNodes(province_extra);
  RegisterChild(beijing_);
  if (HasFatalFailure()) return;
  const std::string on_national = ChildOn(national_);
  ASSERT_TRUE(Eventually([&] {
    return QueryInt(national_.url, "SELECT COUNT(*) FROM student WHERE " + on_national) == 1;
  })) << "北京's registration did not reach the national node"
      << Logs();
  ASSERT_EQ(QueryText(national_.url, "SELECT province_code FROM student WHERE " + on_national),
            "110000");
}

void ThreeNodesTest::Kill(Node& node) {
  EXPECT_EQ(node.serve->Kill().signal, SIGKILL) << node.name;
}

void ThreeNodesTest::Restart(Node& node) {
  const int port = node.serve->port();
  node.serve->Start(port);
  ASSERT_EQ(node.serve->port(), port) << node.name;
}

// ----- the child -----

crypto::FieldCipher ThreeNodesTest::Cipher(const Node& node) {
  if (!std::filesystem::exists(node.key_file))
    throw std::runtime_error("no field key file yet: " + node.key_file);
  auto cipher = crypto::LoadOrCreateFieldKeys(node.key_file);
  if (!cipher.ok()) throw std::runtime_error(cipher.error().message);
  return std::move(*cipher);
}

std::string ThreeNodesTest::ChildOn(const Node& node, const std::string& table) {
  const std::string t = table.empty() ? "" : table + ".";
  return t + "id_type = '1' AND " + t + "id_index = '" +
         registry::DocumentIndex(Cipher(node), kChild.id_number) + "'";
}

std::string ThreeNodesTest::ChildNumber() { return "G" + kChild.id_number; }

void ThreeNodesTest::RegisterChild(Node& node) {
  HttpResponse r =
      node.serve->ClientWithToken(Token(node, "registrar"))
          .PostJson("/api/v1/students", StudentBody(node.school, kChildName, kChild, 3, "2"));
  ASSERT_EQ(r.status, 201) << node.name << ": " << r.Describe();
  ASSERT_EQ(r.Json().value("studentNumber", ""), ChildNumber()) << r.Describe();
}

void ThreeNodesTest::ExpectChildMaskedIn(const std::string& details) {
  EXPECT_EQ(details.find(kChild.id_number), std::string::npos) << "the ID in clear: " << details;
  EXPECT_EQ(details.find(ChildNumber()), std::string::npos) << details;
  EXPECT_EQ(details.find(kChildName), std::string::npos) << "the name in clear: " << details;
  const nlohmann::json d = nlohmann::json::parse(details);
  // The first character, a star for each other.
  EXPECT_EQ(d["student"]["name"], "林**") << details;
  EXPECT_EQ(d["student"]["number"],
            ChildNumber().substr(0, 5) + std::string(10, '*') + ChildNumber().substr(15))
      << details;
}

// ----- people and cases -----

std::string ThreeNodesTest::TokenFor(const Node& node, const std::string& login,
                                     const std::string& role, const std::string& org) {
  Ok({"user", "add", login, "--role", role, "--org", org, "--db", node.url}, node);
  RunResult token = Ok({"token", "create", login, "--db", node.url}, node);
  std::string out = token.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string ThreeNodesTest::Token(Node& node, const std::string& who) {
  auto [it, made] = tokens_.try_emplace(node.code + "/" + who);
  if (!made) return it->second;
  if (who == "registrar")
    it->second =
        TokenFor(node, "registrar." + node.school.code, "school_registrar", node.school.code);
  else if (who == "head")
    it->second = TokenFor(node, "head." + node.school.code, "school_head", node.school.code);
  else if (who == "county")
    it->second = TokenFor(node, "county." + node.county, "county_registrar", node.county);
  else if (who == "province")
    it->second = TokenFor(node, "province." + node.code, "province_registrar", node.code);
  else
    throw std::runtime_error("no such person: " + who);
  return it->second;
}

HttpResponse ThreeNodesTest::TryAct(Node& node, const std::string& token,
                                    const std::string& case_id, const std::string& action,
                                    const std::string& reason) {
  HttpClient client = node.serve->ClientWithToken(token);
  HttpResponse shown = client.Get("/api/v1/cases/" + case_id);
  if (shown.status != 200) return shown;
  const std::string version = "\"v" + std::to_string(shown.Json()["version"].get<int64_t>()) + "\"";
  const std::string body = reason.empty() ? "{}" : nlohmann::json{{"reason", reason}}.dump();
  return client.Post("/api/v1/cases/" + case_id + "/" + action, body,
                     {{"Content-Type", "application/json"}, {"If-Match", version}});
}

void ThreeNodesTest::Act(Node& node, const std::string& token, const std::string& case_id,
                         const std::string& action, const std::string& reason) {
  HttpResponse r = TryAct(node, token, case_id, action, reason);
  ASSERT_EQ(r.status, 200) << node.name << " " << action << " " << case_id << ": " << r.Describe();
}

std::string ThreeNodesTest::CaseStatus(const Node& node, const std::string& id) {
  return QueryText(node.url, "SELECT status FROM wf_case WHERE id = " + id);
}

// ----- the provinces and the national node agreeing -----

void ThreeNodesTest::ExpectPulledUpToNow(const Node& province) {
  const int64_t head = QueryInt(province.url, "SELECT MAX(seq) FROM change_log");
  int64_t checkpoint = -1;
  EXPECT_TRUE(Eventually([&] {
    checkpoint = QueryInt(national_.url,
                          "SELECT COALESCE(MAX(last_seq), 0) FROM exchange_checkpoint WHERE "
                          "source = '" +
                              province.code + "'");
    return checkpoint >= head;
  })) << "the national node did not pull "
      << province.name << " up to " << head << " (checkpoint " << checkpoint << ")" << Logs();
}

void ThreeNodesTest::ExpectAgreesWithNational(const Node& province, int students) {
  const std::string digest = Digest(province.settings, province.code);
  EXPECT_EQ(digest, Digest(national_.settings, province.code)) << province.name;
  EXPECT_EQ(DigestCount(digest, "students"), students) << province.name << ": " << digest;
}

void ThreeNodesTest::ExpectNoCaseLeftOpen() {
  std::this_thread::sleep_for(1s);  // a few polling rounds: nothing opens again
  for (const Node* p : Provinces())
    EXPECT_EQ(QueryInt(p->url, "SELECT COUNT(*) FROM wf_case WHERE status = 'open'"), 0) << p->name;
}

void ThreeNodesTest::ExpectCalledByBothProvinces(const std::string& action) {
  for (const Node* p : {&guangdong_, &beijing_})
    EXPECT_GE(QueryInt(national_.url,
                       "SELECT COUNT(*) FROM audit_log WHERE action = '" + action +
                           "' AND outcome = 'success' AND account = 'node:" + p->code + "'"),
              1)
        << action << " by " << p->name;
}

bool ThreeNodesTest::HasGauge(const std::string& metrics, const std::string& name, int value) {
  return metrics.find("\n" + name + " " + std::to_string(value) + "\n") != std::string::npos;
}

std::string ThreeNodesTest::Logs() const {
  std::string out;
  for (const Node* n : {&national_, &guangdong_, &beijing_, &shanghai_})
    if (n->serve) out += "\n" + n->name + " log:\n" + n->serve->Logs();
  return out;
}

}  // namespace nemis::it
