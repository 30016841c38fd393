// Three data centres running the exchange, for the integration tests of what passes between two
// provinces through the national node (it_exchange_conflicts, it_exchange_transfers): the
// national node (000000) pulls 广东 (440000) and 北京 (110000), and 上海 (310000) when a test
// asks for it; each province's `nemis serve` polls the national node (exchange.national,
// exchange.conflict_poll_ms). SQLite stores; each node a `nemis serve` child
// (support/exchange_serve) with its own store, keys, field keys and port in the test's
// directory, that can be killed and started again on them; the provinces certified by the
// national CA through the command line and seeded by `nemis gen`, one primary school each.
//
// The fixture holds what the tests share: the child they register (a citizen ID of 北京's
// 西城区 neither roster holds), the people who act on cases (API tokens made through the
// command line), reading the nodes' stores, the checks that a province and the national node
// agree, and, after each test, that no node logged a citizen ID number in any of its runs.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "crypto/field_cipher.hpp"
#include "exchange_serve.hpp"
#include "http_client.hpp"
#include "process.hpp"
#include "test_data.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::it {

// Each province's own students (`nemis gen`) besides the child.
inline constexpr int kRosterStudents = 30;
inline constexpr const char* kChildName = "林小雨";
// The child: a resident ID of 北京's 西城区 which no generated roster holds (fixed seeds), with
// a correct GB 11643 check character.
extern const IdSource::Person kChild;

// A node: its code, its settings over the test's directory, its school, its `nemis serve`.
struct Node {
  std::string code, name;
  std::map<std::string, std::string> settings;
  std::string url;       // the store
  std::string key_file;  // field keys
  School school;         // provinces: the school the tests register or move the child at
  std::string county;    // the school's county
  std::unique_ptr<Serve> serve;
};

class ThreeNodesTest : public ::testing::Test {
 protected:
  using Settings = std::map<std::string, std::string>;
  using Rows = std::vector<std::vector<std::string>>;

  void SetUp() override;
  // Stops the nodes; none logged a citizen ID number in any run, the child's and
  // never_logged_'s least of all.
  void TearDown() override;

  // ----- the nodes -----

  // The provinces taking part: 广东 and 北京, and 上海 when with_shanghai_.
  std::vector<Node*> Provinces();
  // `nemis ARGS` with `node`'s settings, its success expected.
  RunResult Ok(const std::vector<std::string>& args, const Node& node);
  // The national CA and node; each province's key certified by it and installed.
  void Enrol();
  // Each province's store: its division tree (by node.code), one school and its students.
  void Seed();
  // The provinces first (polling the national node's port, chosen now, `province_extra` on top
  // of their settings), then the national node pulling them.
  void StartNodes(const Settings& province_extra = {});
  // Everything up to the child registered in 北京 and known to the national node.
  void StartWithChildInBeijing(const Settings& province_extra = {});
  // SIGKILL to a node's `nemis serve`: its store stays as the kill left it.
  void Kill(Node& node);
  // The node's `nemis serve` again, on the store, settings and port it had.
  void Restart(Node& node);

  // ----- the child -----

  // The node's field keys (made by its first nemis process: never made up here).
  static crypto::FieldCipher Cipher(const Node& node);
  // The SQL condition selecting the child's students on `node` (its own blind index), of the
  // student table or of its alias `table`.
  static std::string ChildOn(const Node& node, const std::string& table = "");
  static std::string ChildNumber();
  // The child registered at the province's school by its registrar.
  void RegisterChild(Node& node);
  // A case's details show the child masked: neither the ID, the number nor the name in clear.
  static void ExpectChildMaskedIn(const std::string& details);

  // ----- people and cases -----

  // An API token for a new account `login` with `role` at `org` on a node.
  std::string TokenFor(const Node& node, const std::string& login, const std::string& role,
                       const std::string& org);
  // The people of a province's node, each made once: the school's "registrar" and "head", the
  // "county"'s and the "province"'s registry officers.
  std::string Token(Node& node, const std::string& who);
  // Takes `action` on a case as the account of `token`, at the version it reads first (with
  // `reason` when there is one); the response.
  static HttpResponse TryAct(Node& node, const std::string& token, const std::string& case_id,
                             const std::string& action, const std::string& reason = "");
  // The same, 200 asserted.
  static void Act(Node& node, const std::string& token, const std::string& case_id,
                  const std::string& action, const std::string& reason = "");
  static std::string CaseStatus(const Node& node, const std::string& id);

  // ----- the provinces and the national node agreeing -----

  // The national checkpoint of `province` has passed everything in its change log now.
  void ExpectPulledUpToNow(const Node& province);
  // `nemis exchange digest` of `province` is the same on it and on the national node, with
  // `students` students.
  void ExpectAgreesWithNational(const Node& province, int students);
  // After a few polling rounds, no province has an open case left.
  void ExpectNoCaseLeftOpen();
  // The national node audited `action` (exchange.conflicts, exchange.transfers) called by both
  // 广东's and 北京's nodes.
  void ExpectCalledByBothProvinces(const std::string& action);

  // A gauge of a node's /metrics, as the line "NAME VALUE".
  static bool HasGauge(const std::string& metrics, const std::string& name, int value);
  // The end of the running nodes' logs, for failure messages.
  std::string Logs() const;

  testing::TempDir dir_;
  Node national_, guangdong_, beijing_, shanghai_;
  bool with_shanghai_ = false;
  std::vector<std::string> never_logged_;  // ID numbers besides the child's

 private:
  Node MakeNode(const std::string& code, const std::string& name, const std::string& role);
  // Everything a node's `nemis serve` wrote to its standard error, every run.
  std::string EveryRunsLog(const Node& node) const;

  std::map<std::string, std::string> tokens_;  // by node code and person
};

}  // namespace nemis::it
