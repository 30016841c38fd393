// Tampering with the log directly in SQL, each way an attacker could, and what Verify
// names, on both back ends. Pages of 7 entries, so findings fall on and across page edges.
#include "audit/verify.hpp"

#include <gtest/gtest.h>

#include "audit/audit_testing.hpp"

namespace nemis::audit {
namespace {

constexpr int kEntries = 40;

class VerifyTest : public AuditStoreTest {
 protected:
  void SetUp() override {
    AuditStoreTest::SetUp();
    AppendRange(1, kEntries);
  }
  // Verify names entry `seq` with a message containing `what`.
  void ExpectFinding(int64_t seq, const std::string& what) {
    VerifyReport report = Check();
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(report.bad_seq, seq) << report.problem;
    EXPECT_NE(report.problem.find(what), std::string::npos) << report.problem;
  }
  std::string Nth(int64_t seq) { return "第 " + std::to_string(seq) + " 条审计记录"; }
};

TEST_P(VerifyTest, AnUntouchedLogVerifies) {
  VerifyReport report = Check();
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.entries, kEntries);
  EXPECT_EQ(report.last_seq, kEntries);
}

TEST_P(VerifyTest, EditingAnyFieldOfAnEntryNamesIt) {
  struct Edit {
    const char* column;
    const char* value;
  };
  const Edit edits[] = {{"logged_at", "2026-11-21T23:16:16.123Z"},
                        {"account", "admin"},
                        {"roles", "province_admin"},
                        {"scope", "440000"},
                        {"source_ip", "127.0.0.1"},
                        {"request_id", "req-x"},
                        {"action", "student.view"},
                        {"target", "student:1"},
                        {"outcome", "success2"},
                        {"details", "{\"n\":-1}"}};
  int64_t k = 1;
  for (const Edit& edit : edits) {
    SCOPED_TRACE(edit.column);
    auto records = Records();
    Sql("UPDATE audit_log SET " + std::string(edit.column) + " = $1 WHERE seq = $2",
        {edit.value, k});
    ExpectFinding(k, Nth(k) + "的哈希与内容不符（记录被修改）");
    // Put the original back (the whole row), and the log verifies again.
    const AuditEntry& e = records.at(static_cast<size_t>(k - 1)).entry;
    Sql("UPDATE audit_log SET logged_at = $1, account = $2, roles = $3, scope = $4, source_ip = $5, request_id = $6, "
        "action = $7, target = $8, outcome = $9, details = $10 WHERE seq = $11",
        {e.time, e.account, e.roles, e.scope, e.source_ip, e.request_id, e.action, e.target,
         e.outcome, e.details, k});
    EXPECT_TRUE(Check().ok()) << Check().problem;
    k += 4;  // 1, 5, ..., 37: first entry, page edges (7, 14, ...) and near the end
  }
}

TEST_P(VerifyTest, EditingTheStoredHashNamesTheEntry) {
  std::string hash = HashOf(14);
  Sql("UPDATE audit_log SET entry_hash = $1 WHERE seq = 14", {std::string(64, 'a')});
  ExpectFinding(14, Nth(14) + "的哈希值被改动");
  Sql("UPDATE audit_log SET entry_hash = 'zz' WHERE seq = 14");
  ExpectFinding(14, Nth(14) + "的哈希值被改动");
  Sql("UPDATE audit_log SET entry_hash = $1 WHERE seq = 14", {hash});
  EXPECT_TRUE(Check().ok());
}

TEST_P(VerifyTest, EditingTheLastEntryNamesIt) {
  Sql("UPDATE audit_log SET outcome = 'denied' WHERE seq = $1", {kEntries});
  ExpectFinding(kEntries, Nth(kEntries) + "的哈希与内容不符");
}

TEST_P(VerifyTest, DeletingAnEntryInTheMiddleNamesIt) {
  Sql("DELETE FROM audit_log WHERE seq = 22");
  ExpectFinding(22, "第 21 条之后缺少记录（记录被删除）");
}

TEST_P(VerifyTest, DeletingTheFirstEntryNamesIt) {
  Sql("DELETE FROM audit_log WHERE seq = 1");
  ExpectFinding(1, "缺少第 1 条审计记录（记录被删除）");
}

TEST_P(VerifyTest, RenumberingAnEntryNamesIt) {
  Sql("UPDATE audit_log SET seq = 1000 WHERE seq = 9");
  ExpectFinding(9, "第 8 条之后缺少记录");
}

TEST_P(VerifyTest, DeletingTheLastEntriesIsNoticedThroughTheHead) {
  Sql("DELETE FROM audit_log WHERE seq > 37");
  ExpectFinding(38, "第 37 条之后缺少记录（记录被删除）");
}

TEST_P(VerifyTest, AnEditedHeadIsNoticed) {
  Sql("UPDATE audit_head SET last_hash = $1 WHERE id = 1", {std::string(64, '0')});
  ExpectFinding(kEntries, Nth(kEntries) + "与链头登记的哈希不符");
}

TEST_P(VerifyTest, AForgedRowAfterTheLastIsNoticed) {
  AuditEntry forged = Entry(41);
  std::string hash =
      crypto::ToHex(ChainHash(crypto::FromHex(HashOf(kEntries)).value(), 41, forged));
  Sql("INSERT INTO audit_log (seq, logged_at, account, roles, scope, source_ip, request_id, action, target, outcome, "
      "details, entry_hash) VALUES (41, $1, 'ghost', '', '', '', '', 'auth.login', '', 'success', '{}', $2)",
      {forged.time, hash});
  ExpectFinding(41, Nth(41) + "不在链头登记的范围内（记录被伪造插入）");
}

TEST_P(VerifyTest, AForgedRowBeforeTheFirstIsNoticed) {
  Sql("INSERT INTO audit_log (seq, logged_at, account, roles, scope, source_ip, request_id, action, target, outcome, "
      "details, entry_hash) VALUES (0, '2026-01-01T00:00:00.000Z', 'ghost', '', '', '', '', 'auth.login', '', "
      "'success', '{}', $1)",
      {std::string(64, '0')});
  ExpectFinding(0, Nth(0) + "早于日志起点（记录被伪造插入）");
}

TEST_P(VerifyTest, AForgedRowInsertedInTheMiddleIsNoticed) {
  // Make room at seq 20 (two steps: a unique key is checked row by row), then insert an
  // entry whose hash is correctly chained to entry 19, and register it in the head.
  Sql("UPDATE audit_log SET seq = -(seq + 1) WHERE seq >= 20");
  Sql("UPDATE audit_log SET seq = -seq WHERE seq < 0");
  AuditEntry forged = Entry(7);
  forged.account = "ghost";
  std::string hash = crypto::ToHex(ChainHash(crypto::FromHex(HashOf(19)).value(), 20, forged));
  const AuditEntry& f = forged;
  Sql("INSERT INTO audit_log (seq, logged_at, account, roles, scope, source_ip, request_id, action, target, outcome, "
      "details, entry_hash) VALUES (20, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {f.time, f.account, f.roles, f.scope, f.source_ip, f.request_id, f.action, f.target,
       f.outcome, f.details, hash});
  Sql("UPDATE audit_head SET last_seq = last_seq + 1 WHERE id = 1");
  // The forged entry fits behind 19; the genuine entry after it no longer fits anywhere.
  ExpectFinding(21, Nth(21) + "与前后记录不衔接（记录被插入或调换顺序）");
}

TEST_P(VerifyTest, SwappingTwoEntriesIsNoticed) {
  auto swap = [&](int64_t a, int64_t b) {
    // Every column but seq changes places (through a parking seq, the key being unique).
    Sql("UPDATE audit_log SET seq = -1 WHERE seq = $1", {a});
    Sql("UPDATE audit_log SET seq = $1 WHERE seq = $2", {a, b});
    Sql("UPDATE audit_log SET seq = $1 WHERE seq = -1", {b});
  };
  swap(10, 30);
  ExpectFinding(10, Nth(10) + "与前后记录不衔接（记录被插入或调换顺序）");
  swap(10, 30);
  EXPECT_TRUE(Check().ok());
  swap(14, 15);  // neighbours, across a page edge
  ExpectFinding(14, Nth(14) + "与前后记录不衔接");
}

TEST_P(VerifyTest, SwappingContentsButNotHashesIsNoticed) {
  auto records = Records();
  for (auto [seq, from] : {std::pair<int64_t, int64_t>{5, 9}, {9, 5}}) {
    const AuditEntry& e = records.at(static_cast<size_t>(from - 1)).entry;
    Sql("UPDATE audit_log SET logged_at = $1, account = $2, roles = $3, scope = $4, source_ip = $5, request_id = $6, "
        "action = $7, target = $8, outcome = $9, details = $10 WHERE seq = $11",
        {e.time, e.account, e.roles, e.scope, e.source_ip, e.request_id, e.action, e.target,
         e.outcome, e.details, seq});
  }
  ExpectFinding(5, Nth(5) + "的哈希与内容不符（记录被修改）");
}

TEST_P(VerifyTest, ARecomputedChainPassesWithoutACheckpoint) {
  // The documented limit of a keyless chain: an attacker who edits an entry and
  // recomputes every hash after it is caught only by a signed checkpoint
  // (checkpoint_test.cpp shows that).
  Sql("UPDATE audit_log SET account = 'someone_else' WHERE seq = 12");
  ExpectFinding(12, "记录被修改");
  RecomputeChainFrom(12);
  EXPECT_TRUE(Check().ok());
}

TEST_P(VerifyTest, StreamsInPagesOfAnySize) {
  for (int page : {1, 2, 39, 40, 41, 1000}) {
    auto report = Verify(db(), key_.PublicKey(), {page});
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok()) << page << ": " << report->problem;
    EXPECT_EQ(report->entries, kEntries) << page;
  }
  Sql("DELETE FROM audit_log WHERE seq = 2");
  auto report = Verify(db(), key_.PublicKey(), {1});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->bad_seq, 2);
}

// Verify only reads: it checks a store opened read-only (an evidence copy, a replica),
// which refuses every write.
TEST_P(VerifyTest, VerifiesTheStoreOpenedReadOnly) {
  db::Options options;
  options.read_only = true;
  options.readers = 1;
  options.pool_size = 2;
  auto read_only = db::Database::Open(url(), options);
  ASSERT_TRUE(read_only.ok()) << read_only.error().message;
  auto report = Verify(**read_only, key_.PublicKey(), {7});
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->ok()) << report->problem;
  EXPECT_EQ(report->entries, kEntries);
  Status write = (*read_only)->WithWriter([](db::Connection& c) -> Status {
    NEMIS_TRY(c.Query("UPDATE audit_head SET last_seq = last_seq + 1 WHERE id = 1"));
    return {};
  });
  EXPECT_FALSE(write.ok());
  EXPECT_TRUE(Check().ok());
}

NEMIS_STORE_TEST_SUITE(VerifyTest);

}  // namespace
}  // namespace nemis::audit
