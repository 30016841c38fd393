// The online exchange between two running nodes, as two data centres run it: a province's
// `nemis serve` offers its change log at /exchange/v1/changes, and the national node's
// `nemis serve` pulls it (exchange.sources) in signed, sealed batches until what it holds
// of the province is what the province holds (`nemis exchange digest --province 440000`
// equal on both stores). Neither node's death loses or repeats a change:
//   - the national node killed with SIGKILL part-way through the first sync keeps the
//     checkpoint of its last whole batch and, restarted, goes on from there;
//   - the province killed with SIGKILL while the national node pulls makes the puller fail
//     (counted in /metrics) and retry; students registered meanwhile reach the national
//     node once the province is back on the same address.
// And the province refuses a call for its changes that no node signed (401).
//
// SQLite stores; each node a `nemis serve` child on a port of its own (support/exchange_serve).
// The timeouts are generous (a loaded 2-core machine) and nothing is asserted about how long a
// step takes.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include "exchange/batch_envelope.hpp"
#include "exchange/node_identity.hpp"
#include "exchange/node_request.hpp"
#include "exchange_nodes.hpp"
#include "exchange_serve.hpp"
#include "exchange_store.hpp"
#include "http/client.hpp"
#include "http_client.hpp"
#include "process.hpp"

namespace nemis::it {
namespace {

using namespace std::chrono_literals;

constexpr int kStudents = 20000;
constexpr int kMoreStudents = 500;
constexpr int kBatch = 200;  // log rows a batch the national node pulls: the first sync takes many

class ExchangeHttpTest : public ExchangeNodesTest {
 protected:
  // Waits until the national node holds what the province holds, `students` of them: the
  // puller says it has caught up (checkpoint at the province's head) and the digests agree.
  void ExpectInStep(Serve& national, int64_t students) {
    const std::string want = Digest(Province());
    ASSERT_EQ(DigestCount(want, "students"), students) << want;
    std::string got, metrics;
    const bool equal = Eventually([&] {
      metrics = national.Metrics();
      const double checkpoint = SourceGauge(metrics, "nemis_exchange_checkpoint");
      const double backlog = SourceGauge(metrics, "nemis_exchange_backlog");
      if (checkpoint <= 0 || backlog != 0) return false;
      got = Digest(National());
      return got == want;
    });
    ASSERT_TRUE(equal) << "the national node did not come into step with the province\n"
                       << "province digest:\n"
                       << want << "national digest:\n"
                       << got << "national metrics:\n"
                       << Tail(metrics, 1500) << "\nnational log:\n"
                       << national.Logs();
    // Every change of the province's log applied, none kept out as a conflict.
    EXPECT_EQ(
        QueryInt(NationalUrl(), "SELECT last_seq FROM exchange_checkpoint WHERE source = '440000'"),
        QueryInt(ProvinceUrl(), "SELECT MAX(seq) FROM change_log"));
    EXPECT_EQ(QueryInt(NationalUrl(), "SELECT COUNT(*) FROM exchange_conflict"), 0);
  }

  // The batches the province served in `format`, as its audit log has them.
  int64_t ServedBatches(const std::string& format) {
    return QueryInt(ProvinceUrl(),
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'exchange.changes' AND "
                    "details LIKE '%\"format\":\"" +
                        format + "\"%'");
  }
};

TEST_F(ExchangeHttpTest, TheNationalNodeCatchesUpAfterEitherNodeIsKilled) {
  Enrol();
  if (HasFatalFailure()) return;
  Ok({"gen", "--students", std::to_string(kStudents), "--seed", "4", "--db", ProvinceUrl()},
     Province());

  Serve province("province", Province(), dir_.File("province-run"));
  province.Start();
  Serve national("national", NationalPulling(province.port(), kBatch), dir_.File("national-run"));
  national.Start();

  // 1. The national node killed part-way through the first sync: some batches applied,
  // at least ten more to come (so that the kill lands before the end).
  double seen_checkpoint = -1, seen_backlog = -1;
  std::string metrics;
  const bool caught = Eventually(
      [&] {
        metrics = national.Metrics();
        seen_checkpoint = SourceGauge(metrics, "nemis_exchange_checkpoint");
        seen_backlog = SourceGauge(metrics, "nemis_exchange_backlog");
        return seen_checkpoint > 0 && seen_backlog >= 2000;
      },
      kPatience, 10ms);
  ASSERT_TRUE(caught) << "the sync was not caught part-way; last metrics:\n"
                      << Tail(metrics, 1500) << "\nnational log:\n"
                      << national.Logs();
  EXPECT_EQ(national.Kill().signal, SIGKILL);
  const int64_t head = QueryInt(ProvinceUrl(), "SELECT MAX(seq) FROM change_log");
  const int64_t kept =
      QueryInt(NationalUrl(), "SELECT last_seq FROM exchange_checkpoint WHERE source = '440000'");
  std::cout << "national node killed at checkpoint " << kept << " of " << head << "\n";
  EXPECT_GE(kept, static_cast<int64_t>(seen_checkpoint));
  EXPECT_LT(kept, head);
  EXPECT_LT(DigestCount(Digest(National()), "students"), kStudents);

  national.Start();
  ExpectInStep(national, kStudents);
  if (HasFatalFailure()) return;
  // Its status is the system administrator's (signed in); /metrics is the public view.
  EXPECT_EQ(national.Client().Get("/api/v1/exchange/sources").status, 401);

  // 2. The province killed while the national node pulls; students registered while it is
  // down reach the national node once it is back on the same address.
  const double failures_before = SourceGauge(national.Metrics(), "nemis_exchange_failures");
  EXPECT_GE(failures_before, 0);
  const int province_port = province.port();
  EXPECT_EQ(province.Kill().signal, SIGKILL);
  Ok({"gen", "--students", std::to_string(kMoreStudents), "--seed", "9", "--db", ProvinceUrl()},
     Province());
  double failures = -1;
  EXPECT_TRUE(Eventually([&] {
    metrics = national.Metrics();
    failures = SourceGauge(metrics, "nemis_exchange_failures");
    return failures > failures_before;
  })) << "no failed pull counted while the province was down; metrics:\n"
      << Tail(metrics, 1500);
  EXPECT_GE(failures, 1);

  province.Start(province_port);
  ASSERT_EQ(province.port(), province_port);
  ExpectInStep(national, kStudents + kMoreStudents);

  national.Stop();
  province.Stop();
}

TEST_F(ExchangeHttpTest, AnUnsignedCallForChangesIsRefused) {
  Enrol();
  if (HasFatalFailure()) return;
  Serve province("province", Province(), dir_.File("province-run"));
  province.Start();
  HttpResponse r = province.Client().Get("/exchange/v1/changes?after=0");
  EXPECT_EQ(r.status, 401) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "node_unauthenticated") << r.Describe();
}

// The envelope format is the caller's to ask: v1 when it names none (a national node that
// does not know v2), v2 (compressed) when it asks, a refusal naming the parameter otherwise;
// both formats open to the same records.
TEST_F(ExchangeHttpTest, TheProvinceSendsTheFormatTheNationalNodeAsksFor) {
  Enrol();
  if (HasFatalFailure()) return;
  Ok({"gen", "--students", "300", "--seed", "4", "--db", ProvinceUrl()}, Province());
  Serve province("province", Province(), dir_.File("province-run"));
  province.Start();
  auto national_id = exchange::LoadNodeIdentity(dir_.File("national-keys"));
  auto province_id = exchange::LoadNodeIdentity(dir_.File("province-keys"));
  ASSERT_TRUE(national_id.ok() && province_id.ok());
  const auto fetch = [&](const std::string& format) {
    const std::string target = "/exchange/v1/changes?after=0&limit=500" + format;
    http::ClientRequest req;
    req.url = province.Url() + target;
    req.headers = exchange::SignNodeRequest(*national_id, "440000", "GET", target, "",
                                            static_cast<int64_t>(std::time(nullptr)));
    auto r = http::Fetch(req);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : http::ClientResponse{};
  };
  const auto open = [&](const http::ClientResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    auto opened =
        exchange::OpenBatch(r.body, "000000", province_id->key.PublicKey(), national_id->key);
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened.ok() ? *opened : exchange::OpenedBatch{};
  };
  const http::ClientResponse plain = fetch(""),
                             compressed = fetch("&format=nemis.exchange.batch.v2");
  EXPECT_NE(plain.body.find(R"("format":"nemis.exchange.batch.v1")"), std::string::npos);
  EXPECT_NE(compressed.body.find(R"("format":"nemis.exchange.batch.v2")"), std::string::npos);
  EXPECT_LT(compressed.body.size() * 4, plain.body.size());
  const exchange::OpenedBatch a = open(plain), b = open(compressed);
  EXPECT_EQ(a.header.count,
            300 + QueryInt(ProvinceUrl(), "SELECT COUNT(*) FROM org WHERE level > 0"));
  EXPECT_EQ(a.payload, b.payload);
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_EQ(open(fetch("&format=nemis.exchange.batch.v1")).payload, a.payload);

  const http::ClientResponse unknown = fetch("&format=gzip");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_NE(unknown.body.find("bad_parameter"), std::string::npos) << unknown.body;
  EXPECT_NE(unknown.body.find("参数 format"), std::string::npos) << unknown.body;
  // Each batch served audited with its format.
  EXPECT_EQ(ServedBatches("nemis.exchange.batch.v1"), 2);
  EXPECT_EQ(ServedBatches("nemis.exchange.batch.v2"), 1);
}

// exchange.compress = false: the national node asks for plain batches, and is served them.
TEST_F(ExchangeHttpTest, ANationalNodeSetNotToCompressPullsPlainBatches) {
  Enrol();
  if (HasFatalFailure()) return;
  Ok({"gen", "--students", "300", "--seed", "4", "--db", ProvinceUrl()}, Province());
  Serve province("province", Province(), dir_.File("province-run"));
  province.Start();
  Settings pulling = NationalPulling(province.port(), 100);
  pulling["exchange.compress"] = "false";
  Serve national("national", pulling, dir_.File("national-run"));
  national.Start();
  ExpectInStep(national, 300);
  EXPECT_GE(ServedBatches("nemis.exchange.batch.v1"), 4);  // 100 log rows a batch
  EXPECT_EQ(ServedBatches("nemis.exchange.batch.v2"), 0);
}

// Enrolment over the network: the ministry gives a province a one-time code and the CA's
// fingerprint; the province's `nemis node enrol` gets its certificate from the national node's
// `nemis serve` and installs it. The code works once; a wrong fingerprint installs nothing.
TEST_F(ExchangeHttpTest, AProvinceEnrolsWithAOneTimeCode) {
  Ok({"node", "init"}, National());
  Ok({"node", "init"}, Province());
  RunResult issued = Ok({"node", "enrolment-code", "--code", "440000"}, National());
  std::smatch code, fingerprint;
  ASSERT_TRUE(std::regex_search(issued.out, code, std::regex(R"(注册码：(\S+))")))
      << issued.Describe();
  ASSERT_TRUE(std::regex_search(issued.out, fingerprint, std::regex(R"(CA 指纹：([0-9a-f]{32}))")))
      << issued.Describe();
  Serve national("national", National(), dir_.File("national-run"));
  national.Start();
  const std::string url = national.Url();

  RunResult wrong = RunNemis({"node", "enrol", "--national", url, "--code", code[1],
                              "--ca-fingerprint", std::string(32, '0')},
                             Province());
  EXPECT_EQ(wrong.status.code, 1) << wrong.Describe();
  EXPECT_NE(wrong.err.find("不符"), std::string::npos) << wrong.Describe();
  EXPECT_FALSE(std::filesystem::exists(dir_.File("province-keys/node.crt")));

  // The refused attempt used the code up at the national node: a new one.
  issued = Ok({"node", "enrolment-code", "--code", "440000"}, National());
  ASSERT_TRUE(std::regex_search(issued.out, code, std::regex(R"(注册码：(\S+))")));
  const std::string one_time = code[1];
  Ok({"node", "enrol", "--national", url, "--code", one_time, "--ca-fingerprint", fingerprint[1]},
     Province());
  RunResult show = Ok({"node", "show"}, Province());
  EXPECT_NE(show.out.find("节点代码 440000，角色 provincial"), std::string::npos)
      << show.Describe();
  EXPECT_EQ(
      QueryInt(NationalUrl(),
               "SELECT COUNT(*) FROM exchange_node WHERE code = '440000' AND state = 'active'"),
      1);

  RunResult again = RunNemis(
      {"node", "enrol", "--national", url, "--code", one_time, "--ca-fingerprint", fingerprint[1]},
      Province());
  EXPECT_EQ(again.status.code, 1) << again.Describe();
  EXPECT_NE(again.err.find("enrolment_refused"), std::string::npos) << again.Describe();
  // Attempts from one address are limited (a few a minute): refused codes first, then 429.
  std::string last;
  for (int i = 0; i < 20 && last.find("rate_limited") == std::string::npos; ++i) {
    RunResult r = RunNemis({"node", "enrol", "--national", url, "--code",
                            "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "--ca-fingerprint", fingerprint[1]},
                           Province());
    EXPECT_EQ(r.status.code, 1) << r.Describe();
    last = r.err;
    if (last.find("rate_limited") == std::string::npos) {
      EXPECT_NE(last.find("enrolment_refused"), std::string::npos) << r.Describe();
    }
  }
  EXPECT_NE(last.find("rate_limited"), std::string::npos) << last;
  national.Stop();
}

// A province asks the national node where the country holds a student (`nemis exchange
// lookup`): signed by the province, answered sealed for it; the answer says where, with the
// name masked; an unknown document finds nothing.
TEST_F(ExchangeHttpTest, AProvinceAsksWhereTheCountryHoldsAStudent) {
  Enrol();
  if (HasFatalFailure()) return;
  Ok({"gen", "--students", "40", "--seed", "6", "--db", NationalUrl()}, National());
  Ok({"exchange", "dump", "--to", dir_.File("national.csv")}, National());
  const std::string csv = ReadFile(dir_.File("national.csv"));
  const size_t first = csv.find("\r\n") + 2;  // the first student's row, after the header
  const std::string row = csv.substr(first, csv.find("\r\n", first) - first);
  std::vector<std::string> cells;
  for (size_t at = 0, end; at <= row.size(); at = end + 1) {
    end = std::min(row.find(',', at), row.size());
    cells.push_back(row.substr(at, end - at));
  }
  ASSERT_GT(cells.size(), 8u);
  const std::string name = cells[1], id_number = cells[7], school = cells[10];
  Serve national("national", National(), dir_.File("national-run"));
  national.Start();
  const std::string url = national.Url();

  RunResult found =
      Ok({"exchange", "lookup", "--national", url, "--id-number", id_number}, Province());
  EXPECT_NE(found.out.find("全国学籍中已有"), std::string::npos) << found.Describe();
  EXPECT_NE(found.out.find(school), std::string::npos) << found.Describe();
  EXPECT_EQ(found.out.find(name), std::string::npos) << "the name is masked: " << found.out;
  EXPECT_NE(found.out.find(name.substr(0, 3) + "*"), std::string::npos)  // 3 bytes: one 汉字
      << found.Describe();
  RunResult unknown = Ok(
      {"exchange", "lookup", "--national", url, "--id-number", "11010519491231002X"}, Province());
  EXPECT_NE(unknown.out.find("没有该学生"), std::string::npos) << unknown.Describe();
  // Asked of a province's node instead: refused (only the national node answers).
  Ok({"migrate"}, Province());
  Serve province("province", Province(), dir_.File("province-run"));
  province.Start();
  RunResult wrong = RunNemis(
      {"exchange", "lookup", "--national", province.Url(), "--id-number", id_number}, Province());
  EXPECT_EQ(wrong.status.code, 1) << wrong.Describe();
  national.Stop();
  province.Stop();
}

}  // namespace
}  // namespace nemis::it
