// The audit trail end to end against the real server and `nemis audit`: real requests
// (a refusal without credentials, refusals for lack of permission, a write, failed and
// good logins) land in the log; the server signs a checkpoint when it stops; `nemis
// audit verify` accepts the untouched log and names what was tampered with; the audit
// administrator reads the refusals over HTTP with masked targets and the request ids
// the callers saw; `nemis audit checkpoint` signs the latest entry or refuses an empty
// log; the signing key is private to the node's user.
//
// The server runs with its working directory in store().dir(), where the default
// audit.signing_key_file (var/keys/audit_sm2.pem, relative) is created, so every
// `nemis audit ...` here runs there too.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <latch>
#include <regex>
#include <sstream>
#include <thread>

#include "db/database.hpp"
#include "fixture.hpp"

namespace nemis::it {
namespace {

using nlohmann::json;

const std::map<std::string, std::string> kCheapHashes = {{"identity.argon2_memory_kib", "1024"}};

constexpr const char* kLogin = "zhang.wei";
constexpr const char* kPassword = "Tian-he#2025xq";
constexpr const char* kCounty = "440106";  // 天河区
constexpr const char* kSchoolCode = "2144000001";

// A student number as it appears in a path: personal data, masked in the audit log.
std::string StudentNumber(int sequence) {
  return "G" + MakeIdNumber(kCounty, "20150101", sequence);
}

// What the server writes for a sensitive path parameter: the first four characters,
// one star for each character but the last, then the last one.
std::string Masked(const std::string& value) {
  return value.substr(0, 4) + std::string(value.size() - 5, '*') + value.back();
}

int Mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

// What the activity of CauseActivity() left behind, in the order of the log.
struct Activity {
  std::string anonymous_student;      // the student number of the refused anonymous GET
  std::string stat_student;           // the student number of the statistician's refused PATCH
  std::string anonymous_request_id;   // X-Request-Id of the 401
  std::string stat_post_request_id;   // X-Request-Id of the statistician's POST /api/v1/orgs (403)
  std::string stat_patch_request_id;  // X-Request-Id of the statistician's PATCH (403)
  std::string create_request_id;      // X-Request-Id of the national registrar's 201
  std::string good_login_request_id;
  int64_t entries = 0;             // entries written (and expected) while the server runs
  int64_t entries_after_stop = 0;  // and once it stopped: the allowed reads' tallies too
};

// Checkpoints at start and stop only (no entry waits a day here), so that tests can
// count them.
const std::map<std::string, std::string> kCheckpointsAtStartAndStop = {
    {"audit.checkpoint_interval_seconds", "86400"}, {"audit.checkpoint_every_entries", "0"}};

class AuditTest : public ServerTest {
 protected:
  void StartServer(std::map<std::string, std::string> settings = {}) {
    settings.insert(kCheapHashes.begin(), kCheapHashes.end());
    settings.insert(kCheckpointsAtStartAndStop.begin(), kCheckpointsAtStartAndStop.end());
    ServerTest::StartServer(std::move(settings));
  }

  std::string Dir() { return store().dir().path().string(); }
  std::string KeyFile() { return Dir() + "/var/keys/audit_sm2.pem"; }
  // The copy of the checkpoints outside the store, beside the key.
  std::string CheckpointFile() { return Dir() + "/var/keys/audit_checkpoints.jsonl"; }
  // The seq of each line of the checkpoint file.
  std::vector<int64_t> FileSeqs(const std::string& file) {
    std::vector<int64_t> seqs;
    std::istringstream in(ReadFile(file));
    for (std::string line; std::getline(in, line);)
      seqs.push_back(json::parse(line)["seq"].get<int64_t>());
    return seqs;
  }

  // `nemis audit SUB --db STORE args...` in the server's working directory.
  RunResult Audit(const std::string& sub, const std::vector<std::string>& args = {}) {
    std::vector<std::string> argv = {"audit", sub, "--db", store().url()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunNemisOnStore(argv, {}, std::chrono::seconds(120));
  }

  HttpClient ClientWith(const std::string& token) {
    HttpClient client = server().Client();
    client.set_default_headers({{"Authorization", "Bearer " + token}});
    return client;
  }

  HttpResponse Login(const std::string& login, const std::string& password) {
    HttpClient client = server().Client();
    return client.PostJson("/api/v1/auth/login", {{"login", login}, {"password", password}});
  }

  // Six audited requests, in this order:
  //   1 authz.deny  POST /api/v1/orgs by the statistician (403)
  //   2 authz.deny  PATCH /api/v1/students/{sn} by the statistician (403)
  //   3 org.create  POST /api/v1/orgs by the national registrar (201)
  //   4 auth.login  wrong password for a known account (401)
  //   5 auth.login  unknown account (401)
  //   6 auth.login  the right password (200)
  // and requests that are not audited one by one but tallied and appended when the server
  // stops: GET /api/v1/students/{sn} without credentials (401; 7, authz.deny), GETs that
  // are allowed (8 and 9, authz.allow, the statistician's and the national registrar's
  // GET /api/v1/orgs/{code}); /healthz is not audited at all.
  Activity CauseActivity() {
    Activity a;
    a.anonymous_student = StudentNumber(101);
    a.stat_student = StudentNumber(103);
    std::string stat_token = TokenFor("stat", "statistician", "440000");
    RunResult added =
        AddUserWithPassword(kLogin, "county_registrar", kCounty, kPassword, kCheapHashes);
    EXPECT_TRUE(added.status.Ok()) << added.Describe();
    if (!added.status.Ok()) return a;
    StartServer();

    HttpClient anonymous = server().Client();
    HttpResponse r = anonymous.Get("/api/v1/students/" + a.anonymous_student);
    EXPECT_EQ(r.status, 401) << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "unauthenticated") << r.Describe();
    a.anonymous_request_id = r.Header("X-Request-Id").value_or("");

    HttpClient stat = ClientWith(stat_token);
    json school = {{"code", kSchoolCode},
                   {"parentCode", kCounty},
                   {"name", "天河区第一小学"},
                   {"schoolType", "211"}};
    r = stat.PostJson("/api/v1/orgs", school);
    EXPECT_EQ(r.status, 403) << r.Describe();
    a.stat_post_request_id = r.Header("X-Request-Id").value_or("");
    r = stat.Patch("/api/v1/students/" + a.stat_student, json{{"name", "李雷"}}.dump(),
                   {{"Content-Type", "application/json"}, {"If-Match", "\"v1\""}});
    EXPECT_EQ(r.status, 403) << r.Describe();
    a.stat_patch_request_id = r.Header("X-Request-Id").value_or("");
    // Allowed reads are tallied, not audited one by one.
    EXPECT_EQ(stat.Get(std::string("/api/v1/orgs/") + kCounty).status, 200);
    EXPECT_EQ(anonymous.Get("/healthz").status, 200);

    r = http().PostJson("/api/v1/orgs", school);
    EXPECT_EQ(r.status, 201) << r.Describe();
    a.create_request_id = r.Header("X-Request-Id").value_or("");
    EXPECT_EQ(http().Get(std::string("/api/v1/orgs/") + kSchoolCode).status, 200);

    r = Login(kLogin, "Wrong-password#1");
    EXPECT_EQ(r.status, 401) << r.Describe();
    r = Login("no.such.user", kPassword);
    EXPECT_EQ(r.status, 401) << r.Describe();
    r = Login(kLogin, kPassword);
    EXPECT_EQ(r.status, 200) << r.Describe();
    a.good_login_request_id = r.Header("X-Request-Id").value_or("");
    a.entries = 6;
    a.entries_after_stop = 9;
    return a;
  }

  // CauseActivity(), then stop the server (which appends the tallies and signs a
  // checkpoint of entry 9), and check that the untouched log verifies: the baseline of
  // every tampering test. The activity's `entries` are those after the stop.
  Activity ActivityThenStop() {
    Activity a = CauseActivity();
    StopServer();
    a.entries = a.entries_after_stop;
    EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_log"), a.entries);
    EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint"), 1);
    RunResult v = Audit("verify");
    EXPECT_TRUE(v.status.Ok()) << "the untouched log must verify: " << v.Describe();
    return a;
  }

  std::unique_ptr<db::Database> OpenStore() {
    auto db = db::Database::Open(store().url(), {});
    if (!db.ok())
      throw std::runtime_error("cannot open " + store().url() + ": " + db.error().message);
    return std::move(*db);
  }

  // Runs one statement on the store, outside the server; returns the rows it changed.
  int64_t Tamper(const std::string& sql, std::initializer_list<db::Param> params = {}) {
    auto db = OpenStore();
    std::vector<db::Param> bound(params);
    auto changed = db->Write<int64_t>([&](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql, std::span<const db::Param>(bound)));
      return rs.affected;
    });
    if (!changed.ok()) throw std::runtime_error(sql + ": " + changed.error().message);
    return *changed;
  }

  std::string QueryText(const std::string& sql) {
    auto db = OpenStore();
    auto text = db->Read<std::string>([&](db::Connection& c) -> Result<std::string> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query(sql));
      if (rs.rows.empty()) return Error::NotFound("no row");
      return rs.rows[0].Text(0);
    });
    if (!text.ok()) throw std::runtime_error(sql + ": " + text.error().message);
    return *text;
  }

  // Expects `nemis audit verify` to fail naming entry `seq`; returns its output.
  std::string ExpectVerifyNames(int64_t seq, const std::string& problem,
                                const std::vector<std::string>& args = {}) {
    RunResult v = Audit("verify", args);
    EXPECT_TRUE(v.status.exited) << v.Describe();
    EXPECT_EQ(v.status.code, 1) << v.Describe();
    EXPECT_NE(v.out.find("审计日志校验失败：第 " + std::to_string(seq) + " 条 — "),
              std::string::npos)
        << v.Describe();
    EXPECT_NE(v.out.find(problem), std::string::npos) << "expected \"" << problem << "\"\n"
                                                      << v.Describe();
    EXPECT_EQ(v.out.find("审计日志完整"), std::string::npos) << v.Describe();
    return v.out;
  }
};

// What verify prints for an intact log; `file_checkpoints` < 0: with --db-only.
std::string IntactLine(int64_t entries, int64_t checkpoints, int64_t file_checkpoints) {
  std::string line = "审计日志完整：" + std::to_string(entries) + " 条记录（第 1–" +
                     std::to_string(entries) + " 条），" + std::to_string(checkpoints) +
                     " 个签名检查点有效";
  if (file_checkpoints >= 0)
    line += "，与检查点副本文件的 " + std::to_string(file_checkpoints) + " 个检查点相符";
  return line + "\n";
}
std::string IntactLine(int64_t entries, int64_t checkpoints) {
  return IntactLine(entries, checkpoints, checkpoints);
}

TEST_P(AuditTest, RealActivityIsLoggedSignedAtShutdownAndVerifies) {
  Activity a = CauseActivity();
  // Before the stop: the entries are there, no checkpoint yet (the log was empty at
  // start, and no entry has waited the interval).
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint"), 0);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_log"), a.entries);
  StopServer();

  const int64_t entries = store().QueryInt("SELECT COUNT(*) FROM audit_log");
  EXPECT_EQ(entries, a.entries_after_stop);
  EXPECT_EQ(store().QueryInt("SELECT MIN(seq) FROM audit_log"), 1);
  EXPECT_EQ(store().QueryInt("SELECT MAX(seq) FROM audit_log"), entries);
  EXPECT_EQ(
      store().QueryInt(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'authz.deny' AND outcome = 'denied'"),
      3);
  EXPECT_EQ(
      store().QueryInt(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'org.create' AND outcome = 'success' "
          "AND account = 'it.national' AND target = '/api/v1/orgs' AND request_id = '" +
          a.create_request_id + "'"),
      1);
  EXPECT_EQ(
      store().QueryInt(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND outcome = 'failure' "
          "AND account = 'zhang.wei' AND details LIKE '%wrong_password%'"),
      1);
  EXPECT_EQ(
      store().QueryInt(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND outcome = 'failure' "
          "AND account = '' AND details LIKE '%unknown_account%'"),
      1);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_log WHERE account LIKE '%no.such.user%' "
                             "OR details LIKE '%no.such.user%' OR target LIKE '%no.such.user%'"),
            0)
      << "a login naming no account is not written down";
  EXPECT_EQ(
      store().QueryInt(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND outcome = 'success' "
          "AND account = 'zhang.wei' AND request_id = '" +
          a.good_login_request_id + "'"),
      1);
  // The stop appended the tallies: the anonymous refusal's, then the allowed reads', one
  // per caller and route.
  EXPECT_EQ(
      store().QueryInt(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'authz.deny' AND outcome = 'denied' "
          "AND account = '' AND target = 'GET /api/v1/students/{studentNumber}' "
          "AND details LIKE '%\"code\":\"unauthenticated\"%' AND details LIKE '%\"count\":1%' "
          "AND request_id = '" +
          a.anonymous_request_id + "' AND seq = 7"),
      1);
  EXPECT_EQ(
      store().QueryInt(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'authz.allow' AND outcome = 'success' "
          "AND target = 'GET /api/v1/orgs/{code}' AND details LIKE '%\"count\":1%' "
          "AND account IN ('stat', 'it.national') AND seq > 7"),
      2);
  // The server signed entry 9 as it stopped.
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint"), 1);
  EXPECT_EQ(store().QueryInt("SELECT MAX(seq) FROM audit_checkpoint"), entries);

  RunResult v = Audit("verify");
  ASSERT_TRUE(v.status.Ok()) << v.Describe();
  EXPECT_EQ(v.out, IntactLine(entries, 1)) << v.Describe();

  // A restart with no new entries signs nothing more; one with a new entry signs it.
  StartServer();
  StopServer();
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint"), 1);
  StartServer();
  EXPECT_EQ(server().Client().Get("/api/v1/orgs/440106").status, 401);
  StopServer();
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint"), 2);
  EXPECT_EQ(store().QueryInt("SELECT MAX(seq) FROM audit_checkpoint"), entries + 1);
  v = Audit("verify");
  ASSERT_TRUE(v.status.Ok()) << v.Describe();
  EXPECT_EQ(v.out, IntactLine(entries + 1, 2)) << v.Describe();
}

TEST_P(AuditTest, AuditAdministratorSeesExactlyTheRefusalsMaskedWithTheirRequestIds) {
  Activity a = CauseActivity();
  ASSERT_FALSE(a.anonymous_request_id.empty());
  ASSERT_FALSE(a.stat_post_request_id.empty());
  ASSERT_FALSE(a.stat_patch_request_id.empty());
  // Three different requests, three different ids.
  EXPECT_NE(a.anonymous_request_id, a.stat_post_request_id);
  EXPECT_NE(a.stat_post_request_id, a.stat_patch_request_id);

  HttpClient auditor = ClientWith(TokenFor("auditor", "audit_admin", "440000"));
  HttpResponse r = auditor.Get("/api/v1/audit?action=authz.deny");
  ASSERT_EQ(r.status, 200) << r.Describe();
  json items = r.Json()["items"];
  ASSERT_EQ(items.size(), 2u) << "the anonymous refusal waits in its tally: " << r.Describe();
  EXPECT_TRUE(r.Json()["next"].is_null()) << r.Describe();

  const std::string masked_stat = "/api/v1/students/" + Masked(a.stat_student);
  ASSERT_EQ(masked_stat.size(), std::string("/api/v1/students/").size() + a.stat_student.size());
  EXPECT_NE(masked_stat.find("**************"), std::string::npos) << masked_stat;

  EXPECT_EQ(items[0]["seq"], 1);
  EXPECT_EQ(items[0]["action"], "authz.deny");
  EXPECT_EQ(items[0]["outcome"], "denied");
  EXPECT_EQ(items[0]["target"], "/api/v1/orgs") << items[0].dump();
  EXPECT_EQ(items[0]["requestId"], a.stat_post_request_id) << items[0].dump();
  EXPECT_EQ(items[0]["account"], "stat") << items[0].dump();
  EXPECT_EQ(items[0]["details"]["code"], "forbidden") << items[0].dump();
  EXPECT_EQ(items[0]["details"]["access"], "org.create") << items[0].dump();
  EXPECT_EQ(items[0]["details"]["method"], "POST") << items[0].dump();
  EXPECT_EQ(items[0]["sourceIp"], "127.0.0.1") << items[0].dump();
  EXPECT_EQ(items[0]["hash"].get<std::string>().size(), 64u) << items[0].dump();

  EXPECT_EQ(items[1]["seq"], 2);
  EXPECT_EQ(items[1]["outcome"], "denied");
  EXPECT_EQ(items[1]["target"], masked_stat) << items[1].dump();
  EXPECT_EQ(items[1]["requestId"], a.stat_patch_request_id) << items[1].dump();
  EXPECT_EQ(items[1]["details"]["access"], "student.update") << items[1].dump();
  EXPECT_EQ(items[1]["details"]["method"], "PATCH") << items[1].dump();

  // The student numbers appear nowhere in the log, in clear.
  for (const std::string& sn : {a.anonymous_student, a.stat_student}) {
    const std::string id = sn.substr(1);
    std::string where_id = "SELECT COUNT(*) FROM audit_log WHERE target LIKE '%";
    where_id += id;
    where_id += "%' OR details LIKE '%";
    where_id += id;
    where_id += "%'";
    EXPECT_EQ(store().QueryInt(where_id), 0) << sn;
    EXPECT_EQ(r.body.find(id), std::string::npos) << r.body;
  }

  // The read itself is audited (after the page was read): entry 7.
  EXPECT_EQ(
      store().QueryInt(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'audit.view' AND account = 'auditor' "
          "AND seq = 7"),
      1);
  // Filters are honoured: the one success of auth.login.
  r = auditor.Get("/api/v1/audit?action=auth.login&outcome=success");
  ASSERT_EQ(r.status, 200) << r.Describe();
  ASSERT_EQ(r.Json()["items"].size(), 1u) << r.Describe();
  EXPECT_EQ(r.Json()["items"][0]["account"], kLogin);
  EXPECT_EQ(r.Json()["items"][0]["requestId"], a.good_login_request_id);

  // The registrar who may write may not read the log: a third refusal.
  HttpResponse refused = http().Get("/api/v1/audit?action=authz.deny");
  EXPECT_EQ(refused.status, 403) << refused.Describe();
  r = auditor.Get("/api/v1/audit?action=authz.deny");
  ASSERT_EQ(r.status, 200) << r.Describe();
  ASSERT_EQ(r.Json()["items"].size(), 3u) << r.Describe();
  EXPECT_EQ(r.Json()["items"][2]["target"], "/api/v1/audit");
  EXPECT_EQ(r.Json()["items"][2]["requestId"], refused.Header("X-Request-Id").value_or("?"));
  EXPECT_EQ(r.Json()["items"][2]["details"]["access"], "audit.view");

  StopServer();
  const int64_t entries = store().QueryInt("SELECT COUNT(*) FROM audit_log");
  EXPECT_EQ(entries, 14);  // 6 + read + refusal + read + read, and at the stop 4 tallies
  // The anonymous refusal is among them, with its route and request id, the number masked out.
  EXPECT_EQ(store().QueryInt(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'authz.deny' AND account = '' "
                "AND target = 'GET /api/v1/students/{studentNumber}' AND request_id = '" +
                a.anonymous_request_id + "'"),
            1);
  RunResult v = Audit("verify");
  ASSERT_TRUE(v.status.Ok()) << v.Describe();
  EXPECT_EQ(v.out, IntactLine(entries, 1)) << v.Describe();
}

// The caller of a refused request is known when the refusal is for a missing
// permission (403): audit_trail.hpp promises every refusal "with the caller, its
// grants and scope".
TEST_P(AuditTest, RefusalOfASignedInCallerNamesTheCaller) {
  std::string stat_token = TokenFor("stat", "statistician", "440000");
  StartServer();
  HttpClient stat = ClientWith(stat_token);
  HttpResponse r = stat.PostJson("/api/v1/orgs", {{"code", kSchoolCode},
                                                  {"parentCode", kCounty},
                                                  {"name", "天河区第一小学"},
                                                  {"schoolType", "211"}});
  ASSERT_EQ(r.status, 403) << r.Describe();
  StopServer();
  ASSERT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'authz.deny'"), 1);
  EXPECT_EQ(store().QueryInt(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'authz.deny' AND account = 'stat'"),
            1)
      << "the refused statistician is not named in the log (account = '"
      << QueryText("SELECT account FROM audit_log WHERE action = 'authz.deny'") << "', roles = '"
      << QueryText("SELECT roles FROM audit_log WHERE action = 'authz.deny'") << "')";
}

TEST_P(AuditTest, VerifyNamesAnEditedEntry) {
  ActivityThenStop();
  ASSERT_EQ(Tamper("UPDATE audit_log SET action = 'auth.logout' WHERE seq = 2"), 1);
  ExpectVerifyNames(2, "第 2 条审计记录的哈希与内容不符（记录被修改）");
}

TEST_P(AuditTest, VerifyNamesAnEditedOutcome) {
  // The refusal of entry 1 made to look allowed.
  ActivityThenStop();
  ASSERT_EQ(Tamper("UPDATE audit_log SET outcome = 'success' WHERE seq = 1"), 1);
  ExpectVerifyNames(1, "第 1 条审计记录的哈希与内容不符");
}

TEST_P(AuditTest, VerifyNamesADeletedEntryAsAGap) {
  ActivityThenStop();
  ASSERT_EQ(Tamper("DELETE FROM audit_log WHERE seq = 2"), 1);
  ExpectVerifyNames(2, "第 1 条之后缺少记录（记录被删除）");
}

TEST_P(AuditTest, VerifyNoticesTheDeletedLastEntryThroughTheShutdownCheckpoint) {
  Activity a = ActivityThenStop();
  const int64_t last = a.entries;
  ASSERT_EQ(store().QueryInt("SELECT MAX(seq) FROM audit_checkpoint"), last);
  ASSERT_EQ(Tamper("DELETE FROM audit_log WHERE seq = $1", {last}), 1);
  // The head still records the last entry.
  ExpectVerifyNames(last, "第 " + std::to_string(last - 1) + " 条之后缺少记录（记录被删除）");
  // Rewind the head to the one before as well: only the signed checkpoint still knows of the last.
  std::string hash6 =
      QueryText("SELECT entry_hash FROM audit_log WHERE seq = " + std::to_string(last - 1));
  ASSERT_EQ(
      Tamper("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1", {last - 1, hash6}),
      1);
  ExpectVerifyNames(last, "签名检查点覆盖至第 " + std::to_string(last) + " 条");
}

TEST_P(AuditTest, VerifyNamesACheckpointWithAnEditedSignature) {
  Activity a = ActivityThenStop();
  std::string signature = QueryText("SELECT signature FROM audit_checkpoint");
  ASSERT_GT(signature.size(), 100u) << signature;
  // Change one hex digit in the middle of the DER signature (inside r or s).
  size_t at = signature.size() / 2;
  signature[at] = signature[at] == '0' ? '1' : '0';
  ASSERT_EQ(Tamper("UPDATE audit_checkpoint SET signature = $1", {signature}), 1);
  ExpectVerifyNames(a.entries, "签名检查点签名无效");
}

TEST_P(AuditTest, VerifyNamesACheckpointMovedToAnotherEntry) {
  // The signature is over (seq, hash, signed_at): re-pointing it at entry 6 breaks it.
  ActivityThenStop();
  ASSERT_EQ(Tamper("UPDATE audit_checkpoint SET seq = 6"), 1);
  ExpectVerifyNames(6, "签名检查点签名无效");
}

TEST_P(AuditTest, CheckpointCommandSignsTheLatestEntry) {
  Activity a = CauseActivity();
  // While the server runs: the CLI signs entry 6 itself.
  RunResult cp = Audit("checkpoint");
  ASSERT_TRUE(cp.status.Ok()) << cp.Describe();
  static const std::regex kSigned(
      R"(^已签署检查点：第 (\d+) 条，(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[.0-9]*Z)\n$)");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(cp.out, m, kSigned)) << cp.Describe();
  EXPECT_EQ(std::stoll(m[1]), a.entries);
  EXPECT_EQ(QueryText("SELECT signed_at FROM audit_checkpoint"), m[2].str());
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint"), 1);
  EXPECT_EQ(store().QueryInt("SELECT MAX(seq) FROM audit_checkpoint"), a.entries);
  // The stop appends the tallies (8, 9) and signs them.
  StopServer();
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint"), 2);
  EXPECT_EQ(store().QueryInt("SELECT MAX(seq) FROM audit_checkpoint"), a.entries_after_stop);
  RunResult v = Audit("verify");
  ASSERT_TRUE(v.status.Ok()) << v.Describe();
  EXPECT_EQ(v.out, IntactLine(a.entries_after_stop, 2)) << v.Describe();

  // Asked again, it signs the same entry again.
  cp = Audit("checkpoint");
  ASSERT_TRUE(cp.status.Ok()) << cp.Describe();
  ASSERT_TRUE(std::regex_match(cp.out, m, kSigned)) << cp.Describe();
  EXPECT_EQ(std::stoll(m[1]), a.entries_after_stop);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint WHERE seq = 9"), 2);
  v = Audit("verify");
  ASSERT_TRUE(v.status.Ok()) << v.Describe();
  EXPECT_EQ(v.out, IntactLine(a.entries_after_stop, 3)) << v.Describe();
}

TEST_P(AuditTest, CheckpointCommandRefusesAnEmptyLog) {
  RunResult cp = Audit("checkpoint");
  EXPECT_TRUE(cp.status.exited) << cp.Describe();
  EXPECT_NE(cp.status.code, 0) << cp.Describe();
  EXPECT_EQ(cp.out.find("已签署检查点"), std::string::npos) << cp.Describe();
  EXPECT_NE(cp.err.find("审计日志为空"), std::string::npos) << cp.Describe();
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint"), 0);
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_log"), 0);
  // An empty log is intact.
  RunResult v = Audit("verify");
  ASSERT_TRUE(v.status.Ok()) << v.Describe();
  EXPECT_EQ(v.out, "审计日志为空\n") << v.Describe();
}

// Today's date (UTC) as `--before` takes it.
std::string TodayUtc() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", &utc);
  return date;
}

// Entries younger than 184 days stay whatever the caller asks; an older cut-off purges
// what is older (nothing here) and the purge is itself an entry of the chain.
TEST_P(AuditTest, PurgeKeepsEveryEntryYoungerThan184Days) {
  Activity a = ActivityThenStop();
  RunResult refused = Audit("purge", {"--before", TodayUtc()});
  EXPECT_TRUE(refused.status.exited) << refused.Describe();
  EXPECT_EQ(refused.status.code, 1) << refused.Describe();
  EXPECT_NE(refused.err.find("审计记录至少保留 184 天"), std::string::npos) << refused.Describe();
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_log"), a.entries);

  RunResult unreadable = Audit("purge", {"--before", "2026-02-30"});
  EXPECT_EQ(unreadable.status.code, 2) << unreadable.Describe();
  EXPECT_NE(unreadable.err.find("--before"), std::string::npos) << unreadable.Describe();

  RunResult none = Audit("purge", {"--before", "2000-01-01"});
  ASSERT_TRUE(none.status.Ok()) << none.Describe();
  EXPECT_EQ(none.out, "已清理 0 条早于 2000-01-01 的审计记录；日志现从第 1 条开始\n")
      << none.Describe();
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_log"), a.entries + 1);
  EXPECT_EQ(QueryText("SELECT action || ' ' || target FROM audit_log WHERE seq = " +
                      std::to_string(a.entries + 1)),
            "audit.purge 2000-01-01");
  RunResult v = Audit("verify");
  ASSERT_TRUE(v.status.Ok()) << v.Describe();
  EXPECT_EQ(v.out, IntactLine(a.entries + 1, 1)) << v.Describe();
}

TEST_P(AuditTest, SigningKeyIsCreatedPrivateAndRefusedWhenOthersMayReadIt) {
  ASSERT_EQ(Mode(KeyFile()), -1) << "no key before the first start";
  StartServer();
  EXPECT_EQ(Mode(KeyFile()), 0600) << KeyFile();
  // (var/keys itself is made earlier by the field-key store, with the umask's mode.)
  std::string pem = ReadFile(KeyFile());
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----")) << pem.substr(0, 40);
  // No temporary file left behind next to it.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(Dir() + "/var/keys")) {
    if (e.path().filename().string().starts_with("audit_sm2.pem")) ++files;
  }
  EXPECT_EQ(files, 1);
  StopServer();
  // The key is kept, not replaced, by the next start.
  StartServer();
  StopServer();
  EXPECT_EQ(ReadFile(KeyFile()), pem);

  ASSERT_EQ(::chmod(KeyFile().c_str(), 0640), 0);
  RunResult v = Audit("verify");
  EXPECT_TRUE(v.status.exited) << v.Describe();
  EXPECT_EQ(v.status.code, 1) << v.Describe();
  EXPECT_NE(v.err.find("chmod 600"), std::string::npos) << v.Describe();
  EXPECT_EQ(v.out.find("审计日志完整"), std::string::npos) << v.Describe();
  RunResult cp = Audit("checkpoint");
  EXPECT_NE(cp.status.code, 0) << cp.Describe();
  EXPECT_NE(cp.err.find("chmod 600"), std::string::npos) << cp.Describe();
}

TEST_P(AuditTest, SigningKeyInANewDirectoryIsCreatedPrivateThere) {
  Activity a = ActivityThenStop();
  const std::string dir = Dir() + "/audit-keys";
  const std::string key = dir + "/node/audit_sm2.pem";
  RunResult cp = Audit("checkpoint", {"--set", "audit.signing_key_file=" + key});
  ASSERT_TRUE(cp.status.Ok()) << cp.Describe();
  EXPECT_EQ(Mode(key), 0600);
  EXPECT_EQ(Mode(dir), 0700);
  EXPECT_EQ(Mode(dir + "/node"), 0700);
  // That key signed a checkpoint the node's own key does not accept, and vice versa.
  ExpectVerifyNames(a.entries, "签名检查点签名无效");
  ExpectVerifyNames(a.entries, "签名检查点签名无效", {"--set", "audit.signing_key_file=" + key});
}

TEST_P(AuditTest, VerifyWithAnotherKeyRejectsTheCheckpoints) {
  Activity a = ActivityThenStop();
  const std::string other = Dir() + "/elsewhere/other_sm2.pem";
  ASSERT_EQ(Mode(other), -1);
  // A missing key file is not made up: that would call every checkpoint forged.
  RunResult missing = Audit("verify", {"--set", "audit.signing_key_file=" + other});
  EXPECT_EQ(missing.status.code, 2) << missing.Describe();
  EXPECT_NE(missing.err.find("找不到审计签名密钥文件"), std::string::npos) << missing.Describe();
  EXPECT_EQ(Mode(other), -1);
  // A server started with another key file creates it (private) and, its checkpoint
  // file (beside that key) having none yet, signs the log with it at start.
  StartServer({{"audit.signing_key_file", other}});
  StopServer();
  EXPECT_EQ(Mode(other), 0600) << "the missing key file was created private";
  EXPECT_NE(ReadFile(other), ReadFile(KeyFile()));
  EXPECT_EQ(FileSeqs(Dir() + "/elsewhere/audit_checkpoints.jsonl"),
            std::vector<int64_t>{a.entries});
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint"), 2);
  // Each key rejects the other's checkpoint.
  ExpectVerifyNames(a.entries, "签名检查点签名无效", {"--set", "audit.signing_key_file=" + other});
  ExpectVerifyNames(a.entries, "并非本节点密钥所签",
                    {"--set", "audit.signing_key_file=" + KeyFile()});
  // It is the signatures that fail: without checkpoint rows each key's own file still
  // vouches for the chain.
  ASSERT_EQ(Tamper("DELETE FROM audit_checkpoint"), 2);
  RunResult v = Audit("verify", {"--set", "audit.signing_key_file=" + other});
  ASSERT_TRUE(v.status.Ok()) << v.Describe();
  EXPECT_EQ(v.out, IntactLine(a.entries, 0, 1)) << v.Describe();
  v = Audit("verify");
  ASSERT_TRUE(v.status.Ok()) << v.Describe();
  EXPECT_EQ(v.out, IntactLine(a.entries, 0, 1)) << v.Describe();
}

// Every checkpoint is also a line of a file beside the key. Someone who can write to
// the store but not to the node's files deletes the last entries, rewinds the head and
// deletes the checkpoint rows: the store alone then looks intact, the file tells.
TEST_P(AuditTest, VerifyChecksTheStoreAgainstTheCheckpointFile) {
  Activity a = ActivityThenStop();
  EXPECT_EQ(Mode(CheckpointFile()), 0600);
  ASSERT_EQ(FileSeqs(CheckpointFile()), std::vector<int64_t>{a.entries});
  const int64_t keep = a.entries - 2;
  std::string hash =
      QueryText("SELECT entry_hash FROM audit_log WHERE seq = " + std::to_string(keep));
  ASSERT_EQ(Tamper("DELETE FROM audit_log WHERE seq > $1", {keep}), 2);
  ASSERT_EQ(
      Tamper("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1", {keep, hash}), 1);
  ASSERT_EQ(Tamper("DELETE FROM audit_checkpoint"), 1);

  RunResult db_only = Audit("verify", {"--db-only"});
  ASSERT_TRUE(db_only.status.Ok()) << db_only.Describe();
  EXPECT_EQ(db_only.out, IntactLine(keep, 0, -1)) << db_only.Describe();
  EXPECT_NE(db_only.err.find("未对照检查点副本文件（--db-only）"), std::string::npos)
      << db_only.Describe();

  ExpectVerifyNames(keep + 1, "第 " + std::to_string(keep) +
                                  " 条之后缺少记录（记录被删除）：检查点副本文件记录至第 " +
                                  std::to_string(a.entries) + " 条");
  // Signing refuses the rewound log too.
  RunResult cp = Audit("checkpoint");
  EXPECT_EQ(cp.status.code, 1) << cp.Describe();
  EXPECT_NE(cp.err.find("检查点副本文件记录至第 " + std::to_string(a.entries) + " 条"),
            std::string::npos)
      << cp.Describe();
  EXPECT_EQ(FileSeqs(CheckpointFile()).size(), 1u);

  // Without the file nothing vouches for the log: an error, said as such.
  std::filesystem::rename(CheckpointFile(), CheckpointFile() + ".moved");
  RunResult missing = Audit("verify");
  EXPECT_EQ(missing.status.code, 1) << missing.Describe();
  EXPECT_NE(
      missing.out.find("审计日志校验失败：找不到检查点副本文件 var/keys/audit_checkpoints.jsonl"),
      std::string::npos)
      << missing.Describe();
  // It can be named where it is.
  ExpectVerifyNames(keep + 1, "检查点副本文件记录至第 " + std::to_string(a.entries) + " 条",
                    {"--checkpoint-file", CheckpointFile() + ".moved"});
}

// What a server appended and could not sign (killed) is signed by the next start; here
// the purge's own entry stands for it.
TEST_P(AuditTest, TheServerSignsAtStartWhatNoCheckpointCovers) {
  Activity a = ActivityThenStop();
  RunResult purge = Audit("purge", {"--before", "2000-01-01"});
  ASSERT_TRUE(purge.status.Ok()) << purge.Describe();
  ASSERT_EQ(store().QueryInt("SELECT MAX(seq) FROM audit_log"), a.entries + 1);
  StartServer();
  // Signed before the server took requests.
  EXPECT_EQ(store().QueryInt("SELECT MAX(seq) FROM audit_checkpoint"), a.entries + 1);
  EXPECT_EQ(FileSeqs(CheckpointFile()), (std::vector<int64_t>{a.entries, a.entries + 1}));
  StopServer();
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM audit_checkpoint"), 2);
  RunResult v = Audit("verify");
  ASSERT_TRUE(v.status.Ok()) << v.Describe();
  EXPECT_EQ(v.out, IntactLine(a.entries + 1, 2)) << v.Describe();
}

// Verifying only reads. SQLite: while another process is in the middle of a write (as
// when the disk is full or the copy read-only, no write could succeed), a store that
// must be migrated and seeded first cannot even be opened. PostgreSQL: a database whose
// sessions are read-only (a replica, an evidence copy).
TEST_P(AuditTest, VerifyOpensTheStoreReadOnly) {
  Activity a = ActivityThenStop();
  const int64_t migrations = store().QueryInt("SELECT COUNT(*) FROM schema_migrations");
  const std::vector<std::string> quick = {"--set", "store.busy_timeout_ms=300"};
  if (GetParam() == Backend::kSqlite) {
    auto db = OpenStore();
    std::latch writing(1), verified(1);
    std::thread writer([&] {
      Status s = db->WithWriter([&](db::Connection& c) -> Status {
        NEMIS_TRY(c.Query("UPDATE audit_head SET purged_at = purged_at WHERE id = 1"));
        writing.count_down();
        verified.wait();
        return {};
      });
      EXPECT_TRUE(s.ok()) << s.error().message;
    });
    writing.wait();
    RunResult v = Audit("verify", quick);
    verified.count_down();
    writer.join();
    ASSERT_TRUE(v.status.Ok()) << v.Describe();
    EXPECT_EQ(v.out, IntactLine(a.entries, 1)) << v.Describe();
  } else {
    Tamper("ALTER DATABASE \"" + store().pg_database() +
           "\" SET default_transaction_read_only = on");
    RunResult v = Audit("verify", quick);
    ASSERT_TRUE(v.status.Ok()) << v.Describe();
    EXPECT_EQ(v.out, IntactLine(a.entries, 1)) << v.Describe();
  }
  EXPECT_EQ(store().QueryInt("SELECT COUNT(*) FROM schema_migrations"), migrations);
}

// A read-only store is not migrated: an older schema is refused, saying why.
TEST_P(AuditTest, VerifyRefusesAnOlderSchemaInsteadOfMigratingIt) {
  ActivityThenStop();
  const int64_t latest = store().QueryInt("SELECT MAX(version) FROM schema_migrations");
  ASSERT_EQ(Tamper("DELETE FROM schema_migrations WHERE version = $1", {latest}), 1);
  RunResult v = Audit("verify");
  EXPECT_EQ(v.status.code, 1) << v.Describe();
  EXPECT_NE(v.err.find("数据库结构版本 " + std::to_string(latest - 1) + " 低于本程序的版本 " +
                       std::to_string(latest) + "：校验以只读方式打开数据库，不做迁移"),
            std::string::npos)
      << v.Describe();
  EXPECT_EQ(store().QueryInt("SELECT MAX(version) FROM schema_migrations"), latest - 1)
      << "nothing was migrated";
}

NEMIS_IT_BOTH_BACKENDS(AuditTest);

}  // namespace
}  // namespace nemis::it
