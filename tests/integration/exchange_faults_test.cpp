// Faults between the two nodes of the online exchange (issue 12 §7, in the manner of a
// Jepsen set test): a province's `nemis serve` offers its change log, the national node's
// `nemis serve` pulls it (exchange.sources), and something goes wrong on the way.
//   - A test proxy between them (support/tcp_proxy.hpp) first cuts every answer off
//     part-way (in the headers, in the body), then resets every connection every
//     100-300 ms while the province registers more students, then refuses connections
//     outright; healed, the national node holds what the province holds — per-table
//     digests equal, as many students on both sides (none lost, none twice), no conflict —
//     and its checkpoint never went backwards, and did not move while no answer arrived
//     whole.
//   - The province restored from an older backup (stopped, its store file copied back),
//     with new students registered after the restore reusing sequence numbers the national
//     node has applied: the national node refuses to go on (source_diverged in its log; its
//     status names the reset to run; the checkpoint stays) until `nemis exchange reset
//     --source 440000`, run while it is up; then it applies the restored province's whole
//     log again and holds every student of it, the same record for record. The students
//     (and the school) the province lost with the restore stay on the national node: the
//     restored log never mentions them, the reset only forgets the checkpoint, and nothing
//     in the exchange removes a record from the national node. So the digests stay apart
//     by exactly those records, until the province recovers them from the national node
//     (`nemis exchange recover`): then the digests are equal (docs/exchange.md §4, §8, §8a).
//
// SQLite stores; each node a `nemis serve` child on a port of its own (support/exchange_serve).
// The timeouts are generous (a loaded 2-core machine) and nothing is asserted about how long a
// step takes.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "exchange_nodes.hpp"
#include "exchange_serve.hpp"
#include "exchange_store.hpp"
#include "http_client.hpp"
#include "process.hpp"
#include "tcp_proxy.hpp"

namespace nemis::it {
namespace {

using namespace std::chrono_literals;

// How long this test waits for the national node: 120 s, where the other exchange tests wait
// kPatience (90 s); passed to every Eventually here.
constexpr auto kFaultsPatience = 120s;
constexpr int kBatch = 500;  // log rows a batch the national node pulls: many batches

class ExchangeFaultsTest : public ExchangeNodesTest {
 protected:
  // `nemis gen` into the province's store. Generated citizen ID numbers of different seeds
  // can coincide (one person, one number: the whole run is then refused), so the tests use
  // seeds whose students are all new to the store.
  void Gen(int students, int seed) {
    Ok({"gen", "--students", std::to_string(students), "--seed", std::to_string(seed), "--db",
        ProvinceUrl()},
       Province());
  }

  // The national node's checkpoint of the province, read from its store (0: none).
  int64_t Checkpoint() {
    return QueryInt(NationalUrl(),
                    "SELECT COALESCE(MAX(last_seq), 0) FROM exchange_checkpoint "
                    "WHERE source = '440000'");
  }
  int64_t ProvinceHead() {
    return QueryInt(ProvinceUrl(), "SELECT COALESCE(MAX(seq), 0) FROM change_log");
  }
  static int64_t Students(const std::string& url) {
    return QueryInt(url, "SELECT COUNT(*) FROM student WHERE province_code = '440000'");
  }

  // Waits until the national node's puller has caught up with the province (checkpoint at
  // the province's head in its store, no backlog); then `national_digest` is what the
  // national node holds. Each checkpoint read on the way is added to `samples`.
  bool CaughtUp(Serve& national, std::string* national_digest,
                std::vector<int64_t>* samples = nullptr) {
    std::string metrics;
    int64_t head = 0, checkpoint = 0;
    const bool done = Eventually(
        [&] {
          metrics = national.Metrics();
          head = ProvinceHead();
          checkpoint = Checkpoint();
          if (samples) samples->push_back(checkpoint);
          return checkpoint == head && SourceGauge(metrics, "nemis_exchange_backlog") == 0 &&
                 SourceGauge(metrics, "nemis_exchange_checkpoint") == static_cast<double>(head);
        },
        kFaultsPatience);
    EXPECT_TRUE(done) << "the national node did not catch up: checkpoint " << checkpoint
                      << ", province head " << head << "\nnational metrics:\n"
                      << Tail(metrics, 1500) << "\nnational log:\n"
                      << national.Logs();
    if (done) *national_digest = Digest(National());
    return done;
  }

  // A table of a node's store as `nemis exchange dump` writes it (JSON lines), the province
  // 440000's rows each by its natural key (学籍号, 机构代码), with the columns that stay on a
  // province's node (section 2 of docs/exchange.md: addresses, phones, guardians' documents)
  // blanked, so that a province's rows compare with the national node's. Fails the test if a key
  // comes twice.
  using Rows = std::map<std::string, std::string>;
  Rows Dump(const Settings& settings, const std::string& table, const std::string& name) {
    static const char* const kStaysHome[] = {"家庭住址",          "联系电话",
                                             "监护人1身份证件号", "监护人1联系电话",
                                             "监护人2身份证件号", "监护人2联系电话"};
    const std::string file = dir_.File(name + "-" + table + ".jsonl");
    Ok({"exchange", "dump", "--table", table, "--format", "json", "--to", file}, settings);
    const std::string key = table == "students" ? "学籍号" : "机构代码";
    Rows rows;
    std::istringstream in(ReadFile(file));
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      nlohmann::ordered_json row = nlohmann::ordered_json::parse(line);
      // The province's institutions only (a node holds the divisions of the whole country).
      if (row.contains("省级代码") && row["省级代码"] != "440000") continue;
      for (const char* column : kStaysHome) {
        if (row.contains(column)) row[column] = "";
      }
      const std::string id = row.at(key).get<std::string>();
      EXPECT_TRUE(rows.emplace(id, row.dump()).second) << name << ": " << id << " twice";
    }
    return rows;
  }
  static std::set<std::string> KeysNotIn(const Rows& rows, const Rows& other) {
    std::set<std::string> out;
    for (const auto& [key, row] : rows) {
      if (!other.contains(key)) out.insert(key);
    }
    return out;
  }
  // Every row of `province` is on the national node, the same.
  static void ExpectHeld(const Rows& province, const Rows& national, const std::string& table) {
    size_t missing = 0, different = 0;
    std::string example;
    for (const auto& [key, row] : province) {
      auto it = national.find(key);
      if (it == national.end()) {
        if (++missing == 1) example = "missing: " + row;
      } else if (it->second != row) {
        if (++different == 1) example = "province: " + row + "\nnational: " + it->second;
      }
    }
    EXPECT_EQ(missing, 0u) << table << ", e.g.\n" << example;
    EXPECT_EQ(different, 0u) << table << ", e.g.\n" << example;
  }

  // An API token of a system administrator of the national node (who reads its exchange
  // status).
  std::string SystemAdminToken() {
    Settings s = National();
    s["identity.argon2_memory_kib"] = "1024";  // cheap: signed in by token only
    Ok({"user", "add", "it.sysadmin", "--role", "system_admin", "--org", "000000"}, s);
    std::string token = Ok({"token", "create", "it.sysadmin"}, s).out;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    return token;
  }
};

// Set test through a proxy that cuts, truncates and refuses: healed, nothing lost, nothing
// twice, the checkpoint only ever moved forward.
TEST_F(ExchangeFaultsTest, CutAndTruncatedConnectionsLoseAndRepeatNothing) {
  constexpr int kStudents = 20000, kMoreStudents = 1000;
  Enrol();
  if (HasFatalFailure()) return;
  Gen(kStudents, 4);
  if (HasFatalFailure()) return;

  Serve province("province", Province(), dir_.File("province-run"));
  province.Start();
  TcpProxy proxy(province.port());
  // 1. From the first byte, every answer is cut off part-way: in its headers, then at
  // points in the body of a 500-row batch (a few tens of kB, compressed; the puller keeps to
  // 500 rows here, exchange.batch_min_changes). None is applied.
  proxy.TruncateAfter(100);
  Settings pulling = NationalPulling(proxy.port(), kBatch);
  pulling["exchange.batch_min_changes"] = std::to_string(kBatch);
  Serve national("national", pulling, dir_.File("national-run"));
  national.Start();

  std::vector<int64_t> checkpoints;  // sampled from the national store all along
  for (size_t at : {100, 1500, 4000, 9000, 15000}) {
    proxy.TruncateAfter(at);
    const int64_t truncated = proxy.truncations();
    EXPECT_TRUE(
        Eventually([&] { return proxy.truncations() >= truncated + 2; }, kFaultsPatience, 20ms))
        << "no answer was cut off at " << at << " bytes; proxy connections " << proxy.connections()
        << "\nnational log:\n"
        << national.Logs();
    checkpoints.push_back(Checkpoint());
  }
  EXPECT_EQ(checkpoints.back(), 0) << "a batch was applied from a truncated answer";
  const double failures_truncated = SourceGauge(national.Metrics(), "nemis_exchange_failures");
  EXPECT_GE(failures_truncated, 5);

  // 2. Whole answers again, but every connection reset every 100-300 ms for a few seconds,
  // while the province registers more students.
  proxy.TruncateAfter(0);
  auto more = std::async(std::launch::async, [&] {
    return RunNemis(
        {"gen", "--students", std::to_string(kMoreStudents), "--seed", "21", "--db", ProvinceUrl()},
        Province());
  });
  std::mt19937 random(12);  // the same schedule on every run
  std::uniform_int_distribution<int> pause_ms(100, 300);
  const int64_t cut_before = proxy.cuts();
  const auto cutting_until = std::chrono::steady_clock::now() + 6s;
  int rounds = 0;
  while (std::chrono::steady_clock::now() < cutting_until ||
         more.wait_for(0s) != std::future_status::ready) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
    proxy.CutAll();
    ++rounds;
    checkpoints.push_back(Checkpoint());
  }
  RunResult generated = more.get();
  ASSERT_TRUE(generated.status.Ok()) << generated.Describe();
  const int64_t cut_live = proxy.cuts() - cut_before;
  std::cout << rounds << " cut rounds, " << cut_live << " live connections cut; checkpoint "
            << checkpoints.back() << " of " << ProvinceHead() << "\n";
  EXPECT_GT(cut_live, 0) << "no cut met a connection in use";

  // 3. Connections refused (accepted and reset at once) for a while.
  proxy.Refuse(true);
  const int64_t refused_from = proxy.connections();
  EXPECT_TRUE(
      Eventually([&] { return proxy.connections() >= refused_from + 2; }, kFaultsPatience, 20ms));
  checkpoints.push_back(Checkpoint());

  // 4. Healed: plain forwarding. The national node catches up.
  proxy.Refuse(false);
  std::string national_digest;
  ASSERT_TRUE(CaughtUp(national, &national_digest, &checkpoints));
  checkpoints.push_back(Checkpoint());

  const std::string province_digest = Digest(Province());
  EXPECT_EQ(DigestLine(national_digest, "institutions"),
            DigestLine(province_digest, "institutions"));
  EXPECT_EQ(DigestLine(national_digest, "students"), DigestLine(province_digest, "students"));
  EXPECT_FALSE(DigestLine(province_digest, "students").empty()) << province_digest;
  // 0 lost, 0 twice.
  EXPECT_EQ(Students(ProvinceUrl()), kStudents + kMoreStudents);
  EXPECT_EQ(Students(NationalUrl()), Students(ProvinceUrl()));
  EXPECT_EQ(QueryInt(NationalUrl(),
                     "SELECT COUNT(DISTINCT number_index) FROM student "
                     "WHERE province_code = '440000'"),
            Students(NationalUrl()));
  EXPECT_EQ(QueryInt(NationalUrl(), "SELECT COUNT(*) FROM exchange_conflict"), 0);
  EXPECT_EQ(Checkpoint(), ProvinceHead());
  // The faults were seen: answers cut, connections reset, pulls failed.
  EXPECT_GT(proxy.truncations(), 0);
  EXPECT_GT(proxy.cuts(), proxy.truncations());
  EXPECT_GT(SourceGauge(national.Metrics(), "nemis_exchange_failures"), failures_truncated);
  // Checkpoints only advance.
  for (size_t i = 1; i < checkpoints.size(); ++i) {
    EXPECT_GE(checkpoints[i], checkpoints[i - 1]) << "the checkpoint went back at sample " << i;
  }
  std::cout << "proxy: " << proxy.connections() << " connections, " << proxy.cuts() << " cut ("
            << proxy.truncations() << " truncated); "
            << SourceGauge(national.Metrics(), "nemis_exchange_failures") << " failed pulls; "
            << checkpoints.size() << " checkpoint samples\n";

  national.Stop();
  province.Stop();
}

// The province restored from an older backup: refused until reset, then re-applied whole.
TEST_F(ExchangeFaultsTest, AProvinceRestoredFromAnOlderBackupIsRefusedUntilReset) {
  constexpr int kStudents = 2000, kLostStudents = 300, kAfterRestore = 800;
  Enrol();
  if (HasFatalFailure()) return;
  Gen(kStudents, 4);
  if (HasFatalFailure()) return;
  const std::string token = SystemAdminToken();
  if (HasFatalFailure()) return;

  Serve province("province", Province(), dir_.File("province-run"));
  province.Start();
  const int province_port = province.port();
  Serve national("national", NationalPulling(province_port, kBatch), dir_.File("national-run"));
  national.Start();
  HttpClient admin = national.ClientWithToken(token);
  auto source_status = [&] {
    HttpResponse r = admin.Get("/api/v1/exchange/sources");
    EXPECT_EQ(r.status, 200) << r.Describe();
    const nlohmann::json body = r.Json();
    if (body.is_object() && body.contains("items") && body["items"].is_array()) {
      for (const auto& item : body["items"]) {
        if (item.value("source", "") == "440000") return item;
      }
    }
    return nlohmann::json::object();
  };

  std::string national_digest;
  ASSERT_TRUE(CaughtUp(national, &national_digest));
  EXPECT_EQ(national_digest, Digest(Province()));
  // What the backup will hold, as the national node holds it.
  const Rows backed_up = Dump(National(), "students", "national-1");
  const Rows backed_up_orgs = Dump(National(), "institutions", "national-1");
  ASSERT_EQ(backed_up.size(), static_cast<size_t>(kStudents));

  // 1. The backup: the province stopped cleanly (its WAL checkpointed), its store copied.
  ASSERT_TRUE(province.Stop().value_or(ExitStatus{}).Ok());
  const std::string db = dir_.File("province.db");
  std::filesystem::create_directories(dir_.File("backup"));
  for (const std::string suffix : {"", "-wal", "-shm"}) {
    if (std::filesystem::exists(db + suffix))
      std::filesystem::copy_file(db + suffix, dir_.File("backup/province.db" + suffix));
  }

  // 2. Back up, the province registers more students; the national node takes them in.
  province.Start(province_port);
  Gen(kLostStudents, 9);
  ASSERT_TRUE(CaughtUp(national, &national_digest));
  EXPECT_EQ(national_digest, Digest(Province()));
  // Registered after the backup: gone with the restore.
  const std::set<std::string> lost =
      KeysNotIn(Dump(National(), "students", "national-2"), backed_up);
  const std::set<std::string> lost_orgs =
      KeysNotIn(Dump(National(), "institutions", "national-2"), backed_up_orgs);
  ASSERT_EQ(lost.size(), static_cast<size_t>(kLostStudents));
  const int64_t applied = Checkpoint();

  // 3. The province restored from the backup, and different students registered on it: its
  // sequence numbers go past the national node's checkpoint again, with other changes.
  ASSERT_TRUE(province.Stop().value_or(ExitStatus{}).Ok());
  for (const std::string suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db + suffix);
    if (std::filesystem::exists(dir_.File("backup/province.db" + suffix)))
      std::filesystem::copy_file(dir_.File("backup/province.db" + suffix), db + suffix);
  }
  province.Start(province_port);
  ASSERT_LT(ProvinceHead(), applied);
  Gen(kAfterRestore, 26);
  ASSERT_GT(ProvinceHead(), applied) << "the restored province's log must reuse applied numbers";

  // The national node refuses to go on (asked again at least twice since), says why, and
  // applies nothing.
  const double failures_before = SourceGauge(national.Metrics(), "nemis_exchange_failures");
  nlohmann::json status;
  EXPECT_TRUE(Eventually(
      [&] {
        status = source_status();
        return SourceGauge(national.Metrics(), "nemis_exchange_failures") >= failures_before + 2 &&
               status.value("lastError", "").find("nemis exchange reset --source 440000") !=
                   std::string::npos;
      },
      kFaultsPatience))
      << "the national node did not report the divergence; status: " << status.dump()
      << "\nnational log:\n"
      << national.Logs();
  EXPECT_EQ(status.value("checkpoint", int64_t{-1}), applied) << status.dump();
  EXPECT_EQ(status.value("lastErrorCode", ""), "source_diverged") << status.dump();
  EXPECT_NE(national.Log().find("source_diverged"), std::string::npos) << national.Logs();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Checkpoint(), applied);
    std::this_thread::sleep_for(300ms);
  }
  EXPECT_EQ(Students(NationalUrl()), kStudents + kLostStudents);
  EXPECT_EQ(national_digest, Digest(National()));

  // 4. The operator resets the checkpoint (the node running): the whole restored log is
  // applied again.
  RunResult reset = Ok({"exchange", "reset", "--source", "440000"}, National());
  EXPECT_NE(reset.out.find("已清除 440000 的检查点"), std::string::npos) << reset.Describe();
  ASSERT_TRUE(CaughtUp(national, &national_digest));
  EXPECT_EQ(source_status().value("lastError", "?"), "");
  EXPECT_EQ(source_status().value("lastErrorCode", "?"), "");
  const std::string province_digest = Digest(Province());
  EXPECT_EQ(Students(ProvinceUrl()), kStudents + kAfterRestore);
  EXPECT_EQ(QueryInt(NationalUrl(), "SELECT COUNT(*) FROM exchange_conflict"), 0);

  // Every student and institution of the restored province is on the national node, the
  // same; the only others are those the province lost with the restore: nothing tells the
  // national node they are gone, so the digests differ by exactly them.
  const Rows province_rows = Dump(Province(), "students", "province-3");
  const Rows national_rows = Dump(National(), "students", "national-3");
  ASSERT_EQ(province_rows.size(), static_cast<size_t>(kStudents + kAfterRestore));
  ExpectHeld(province_rows, national_rows, "students");
  EXPECT_EQ(KeysNotIn(national_rows, province_rows), lost);
  const Rows province_orgs = Dump(Province(), "institutions", "province-3");
  const Rows national_orgs = Dump(National(), "institutions", "national-3");
  ExpectHeld(province_orgs, national_orgs, "institutions");
  EXPECT_EQ(KeysNotIn(national_orgs, province_orgs), lost_orgs);
  EXPECT_EQ(DigestCount(national_digest, "institutions"),
            DigestCount(province_digest, "institutions") + static_cast<int64_t>(lost_orgs.size()));
  EXPECT_EQ(DigestCount(national_digest, "students"),
            DigestCount(province_digest, "students") + kLostStudents)
      << "national:\n"
      << national_digest << "province:\n"
      << province_digest;
  EXPECT_NE(DigestLine(national_digest, "students"), DigestLine(province_digest, "students"));
  std::cout << lost.size() << " students and " << lost_orgs.size()
            << " institutions lost with the restore; after the reset: national\n"
            << national_digest << "province\n"
            << province_digest;

  // 5. The province recovers from the national node (`nemis exchange recover`, its node
  // running): what it lost comes back, the rest is the same; the recovered records cross
  // again as the same, and the digests are equal.
  RunResult recovered = Ok({"exchange", "recover", "--national", national.Url()}, Province());
  EXPECT_NE(recovered.out.find("学生恢复 " + std::to_string(kLostStudents) + " 名"),
            std::string::npos)
      << recovered.Describe();
  EXPECT_NE(recovered.out.find("机构恢复或更新 " + std::to_string(lost_orgs.size()) + " 个"),
            std::string::npos)
      << recovered.Describe();
  EXPECT_EQ(Students(ProvinceUrl()), kStudents + kAfterRestore + kLostStudents);
  ASSERT_TRUE(CaughtUp(national, &national_digest));
  EXPECT_EQ(Digest(Province()), national_digest);
  EXPECT_EQ(QueryInt(NationalUrl(), "SELECT COUNT(*) FROM exchange_conflict"), 0);
  EXPECT_EQ(QueryInt(ProvinceUrl(),
                     "SELECT COUNT(*) FROM audit_log WHERE action = "
                     "'exchange.recover' AND outcome = 'success'"),
            1);

  national.Stop();
  province.Stop();
}

}  // namespace
}  // namespace nemis::it
