// Signed checkpoints: what they sign, what they catch that the chain alone cannot, forged
// and foreign signatures, and when MaybeCheckpoint signs, on both back ends.
#include "audit/checkpoint.hpp"

#include <gtest/gtest.h>

#include "audit/audit_testing.hpp"

namespace nemis::audit {
namespace {

class CheckpointTest : public AuditStoreTest {
 protected:
  CheckpointInfo Sign() {
    auto ck = Checkpoint(db(), key_, clock_);
    EXPECT_TRUE(ck.ok()) << ck.error().message;
    return ck.ok() ? *ck : CheckpointInfo{};
  }
  void ExpectFinding(int64_t seq, const std::string& what) {
    VerifyReport report = Check();
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(report.bad_seq, seq) << report.problem;
    EXPECT_NE(report.problem.find(what), std::string::npos) << report.problem;
  }
  // Appends entries first..last, logged now by the test's clock.
  void AppendNow(int first, int last) {
    Status s = db().WithWriter([&](db::Connection& c) -> Status {
      for (int i = first; i <= last; ++i) NEMIS_TRY(Append(c, Entry(i, clock_.Now())));
      return {};
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
    Seal();
  }
  bool Maybe(const CheckpointPolicy& policy) {
    auto signed_one = MaybeCheckpoint(db(), key_, clock_, policy);
    EXPECT_TRUE(signed_one.ok()) << signed_one.error().message;
    return signed_one.ok() && *signed_one;
  }
  // Deletes the entries after `keep` and rewinds the head to it, as an attacker would.
  void DeleteTail(int64_t keep) {
    std::string hash = HashOf(keep);
    Sql("DELETE FROM audit_log WHERE seq > $1", {keep});
    Sql("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1", {keep, hash});
  }
};

TEST_P(CheckpointTest, SignsTheLatestEntry) {
  AppendRange(1, 20);
  CheckpointInfo ck = Sign();
  EXPECT_EQ(ck.seq, 20);
  EXPECT_EQ(ck.entry_hash, HashOf(20));
  EXPECT_EQ(ck.signed_at, FormatUtc(clock_.Now()));
  std::string message = CheckpointMessage(20, crypto::FromHex(ck.entry_hash).value(), ck.signed_at);
  EXPECT_TRUE(key_.PublicKey().Verify(message, crypto::FromHex(ck.signature).value()));
  AppendRange(21, 30);
  EXPECT_EQ(Sign().seq, 30);
  VerifyReport report = Check();
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.checkpoints, 2);
}

TEST_P(CheckpointTest, AnEmptyLogHasNothingToSign) {
  auto ck = Checkpoint(db(), key_, clock_);
  ASSERT_FALSE(ck.ok());
  EXPECT_EQ(ck.error().code, "audit_log_empty");
}

TEST_P(CheckpointTest, DeletingTheLastEntriesIsNoticedOnlyWhenACheckpointCoversThem) {
  AppendRange(1, 20);
  DeleteTail(17);
  EXPECT_TRUE(Check().ok()) << "the documented limit: nothing signed covers 18..20";
  AppendRange(18, 20);
  Sign();
  DeleteTail(17);
  ExpectFinding(18, "第 17 条之后缺少记录（记录被删除）：签名检查点覆盖至第 20 条");
}

TEST_P(CheckpointTest, ARecomputedChainDisagreesWithTheCheckpoint) {
  AppendRange(1, 20);
  Sign();
  Sql("UPDATE audit_log SET target = 'student:1' WHERE seq = 5");
  RecomputeChainFrom(5);
  ExpectFinding(20, "第 20 条审计记录与签名检查点不符（记录链被改写）");
}

TEST_P(CheckpointTest, AnEditedSignatureIsNoticed) {
  AppendRange(1, 20);
  CheckpointInfo ck = Sign();
  std::string edited = ck.signature;
  edited[edited.size() - 3] = edited[edited.size() - 3] == '0' ? '1' : '0';
  Sql("UPDATE audit_checkpoint SET signature = $1", {edited});
  ExpectFinding(20, "第 20 条审计记录的签名检查点签名无效");
  Sql("UPDATE audit_checkpoint SET signature = 'xyz'");
  ExpectFinding(20, "签名无效");
  Sql("UPDATE audit_checkpoint SET signature = $1, signed_at = '2020-01-01T00:00:00.000Z'",
      {ck.signature});
  ExpectFinding(20, "签名无效");
  Sql("UPDATE audit_checkpoint SET signed_at = $1", {ck.signed_at});
  EXPECT_TRUE(Check().ok());
}

TEST_P(CheckpointTest, ACheckpointSignedByAnotherKeyIsNoticed) {
  AppendRange(1, 20);
  crypto::Sm2PrivateKey other = crypto::Sm2PrivateKey::Generate();
  ASSERT_TRUE(Checkpoint(db(), other, clock_).ok());
  ExpectFinding(20, "并非本节点密钥所签");
  EXPECT_TRUE(CheckWith(other.PublicKey()).ok());
}

TEST_P(CheckpointTest, AForgedCheckpointBeyondTheLogIsNoticed) {
  AppendRange(1, 20);
  Sql("INSERT INTO audit_checkpoint (seq, entry_hash, signed_at, signature) VALUES (25, $1, $2, 'abcd')",
      {std::string(64, '1'), FormatUtc(clock_.Now())});
  ExpectFinding(25, "签名无效");
}

TEST_P(CheckpointTest, RefusesToSignAChainEditedSinceTheLastCheckpoint) {
  AppendRange(1, 10);
  Sign();
  AppendRange(11, 20);
  Sql("UPDATE audit_log SET details = '{}' WHERE seq = 15");
  auto refused = Checkpoint(db(), key_, clock_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "audit_chain_broken");
  EXPECT_NE(refused.error().message.find("第 15 条审计记录的哈希与内容不符"), std::string::npos)
      << refused.error().message;
}

TEST_P(CheckpointTest, NeverBlessesAChainRecomputedBeforeTheLastCheckpoint) {
  AppendRange(1, 20);
  Sign();
  Sql("UPDATE audit_log SET account = 'nobody' WHERE seq = 5");
  RecomputeChainFrom(5);
  auto refused = Checkpoint(db(), key_, clock_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "audit_chain_broken");
  AppendRange(21, 22);
  refused = Checkpoint(db(), key_, clock_);
  ASSERT_FALSE(refused.ok()) << "entries after the checkpoint no longer chain to what it signed";
  EXPECT_NE(refused.error().message.find("第 21 条"), std::string::npos) << refused.error().message;
}

TEST_P(CheckpointTest, RefusesToSignAfterTheLastEntriesWereDeleted) {
  AppendRange(1, 20);
  Sign();
  DeleteTail(15);
  auto refused = Checkpoint(db(), key_, clock_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "audit_chain_broken");
  EXPECT_NE(
      refused.error().message.find("第 15 条之后缺少记录（记录被删除）：签名检查点覆盖至第 20 条"),
      std::string::npos)
      << refused.error().message;
}

TEST_P(CheckpointTest, StartsFromTheLatestValidCheckpoint) {
  AppendRange(1, 10);
  Sign();
  AppendRange(11, 20);
  crypto::Sm2PrivateKey other = crypto::Sm2PrivateKey::Generate();
  ASSERT_TRUE(Checkpoint(db(), other, clock_).ok());  // not ours: ignored as a start
  Sql("UPDATE audit_log SET details = '{}' WHERE seq = 15");
  auto refused = Checkpoint(db(), key_, clock_);
  ASSERT_FALSE(refused.ok()) << "a foreign checkpoint at 20 must not vouch for entry 15";
  EXPECT_NE(refused.error().message.find("第 15 条"), std::string::npos) << refused.error().message;
}

TEST_P(CheckpointTest, MaybeCheckpointSignsWhenAnEntryHasWaitedTheInterval) {
  const CheckpointPolicy policy{std::chrono::minutes(60), 0};
  EXPECT_FALSE(Maybe(policy)) << "nothing to sign";
  AppendNow(1, 5);
  EXPECT_FALSE(Maybe(policy)) << "the first entry has not waited an hour";
  clock_.Set(clock_.Now() + std::chrono::minutes(60));
  EXPECT_TRUE(Maybe(policy));
  AppendNow(6, 8);
  clock_.Set(clock_.Now() + std::chrono::minutes(59));
  EXPECT_FALSE(Maybe(policy)) << "entry 6 has waited 59 minutes";
  clock_.Set(clock_.Now() + std::chrono::minutes(1));
  EXPECT_TRUE(Maybe(policy));
  clock_.Set(clock_.Now() + std::chrono::hours(5));
  EXPECT_FALSE(Maybe(policy)) << "no entries since the last checkpoint";
  AppendNow(9, 9);
  EXPECT_TRUE(Maybe({std::chrono::seconds(0), 0})) << "at start and stop: whatever waits";
  VerifyReport report = Check();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.checkpoints, 3);
}

TEST_P(CheckpointTest, MaybeCheckpointSignsWhenEnoughEntriesWait) {
  const CheckpointPolicy policy{std::chrono::seconds(60), 10};
  AppendNow(1, 9);
  EXPECT_FALSE(Maybe(policy)) << "9 entries, just logged";
  AppendNow(10, 10);
  EXPECT_TRUE(Maybe(policy)) << "10 entries wait";
  AppendNow(11, 19);
  EXPECT_FALSE(Maybe(policy));
  clock_.Set(clock_.Now() + std::chrono::seconds(59));
  EXPECT_FALSE(Maybe(policy));
  clock_.Set(clock_.Now() + std::chrono::seconds(1));
  EXPECT_TRUE(Maybe(policy)) << "entry 11 has waited a minute";
  EXPECT_EQ(Check().checkpoints, 2);
}

TEST_P(CheckpointTest, MaybeCheckpointReportsABrokenChain) {
  AppendRange(1, 5);
  Sql("UPDATE audit_log SET action = 'auth.logout' WHERE seq = 2");
  auto result = MaybeCheckpoint(db(), key_, clock_, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "audit_chain_broken");
  Sql("DELETE FROM audit_head");
  result = MaybeCheckpoint(db(), key_, clock_, {});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("链头缺失"), std::string::npos);
}

NEMIS_STORE_TEST_SUITE(CheckpointTest);

}  // namespace
}  // namespace nemis::audit
