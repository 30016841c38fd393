// Retention: the 184-day floor, purging a prefix of the chain, and verification (and
// tamper detection) from the signed anchor afterwards, on both back ends.
#include "audit/purge.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "audit/audit_testing.hpp"
#include "audit/checkpoint.hpp"

namespace nemis::audit {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

constexpr hours kDay(24);

class PurgeTest : public AuditStoreTest {
 protected:
  // Entries 1..10 logged 400 days ago, 11..20 300 days ago, 21..30 ten days ago.
  void AppendAged() {
    Status s = db().WithWriter([&](db::Connection& c) -> Status {
      for (int i = 1; i <= 30; ++i) {
        auto age = i <= 10 ? 400 * kDay : i <= 20 ? 300 * kDay : 10 * kDay;
        NEMIS_TRY(Append(c, Entry(i, clock_.Now() - age + std::chrono::seconds(i))));
      }
      return {};
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
    Seal();
  }
  Result<PurgeResult> PurgeBefore(std::chrono::system_clock::time_point before,
                                  int retention = kMinRetentionDays) {
    return Purge(db(), key_, before, clock_, retention);
  }
  void ExpectFinding(int64_t seq, const std::string& what) {
    VerifyReport report = Check();
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(report.bad_seq, seq) << report.problem;
    EXPECT_NE(report.problem.find(what), std::string::npos) << report.problem;
  }
};

TEST_P(PurgeTest, RefusesCutOffsYoungerThan184Days) {
  AppendAged();
  auto now = clock_.Now();
  for (auto before : {now, now - 183 * kDay, now - 184 * kDay + milliseconds(1)}) {
    auto refused = PurgeBefore(before);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "audit_retention");
    EXPECT_EQ(refused.error().kind, ErrorKind::kInvalid);
    EXPECT_NE(refused.error().message.find("至少保留 184 天"), std::string::npos)
        << refused.error().message;
  }
  auto configured_lower = PurgeBefore(now - 100 * kDay, 30);
  ASSERT_FALSE(configured_lower.ok()) << "a configured retention below 184 days counts as 184";
  EXPECT_NE(configured_lower.error().message.find("184"), std::string::npos);
  auto configured_higher = PurgeBefore(now - 200 * kDay, 365);
  ASSERT_FALSE(configured_higher.ok());
  EXPECT_NE(configured_higher.error().message.find("至少保留 365 天"), std::string::npos);
  auto configured_huge = PurgeBefore(now - 300 * kDay, std::numeric_limits<int>::max());
  ASSERT_FALSE(configured_huge.ok());
  EXPECT_NE(configured_huge.error().message.find("至少保留 36500 天"), std::string::npos);
  EXPECT_EQ(Records().size(), 30u);
}

TEST_P(PurgeTest, PurgesOldEntriesAndTheRestStillVerifies) {
  AppendAged();
  auto purged = PurgeBefore(clock_.Now() - 184 * kDay);
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged->purged, 20);
  EXPECT_EQ(purged->anchor_seq, 20);
  EXPECT_EQ(Records().front().seq, 21);
  VerifyReport report = Check();
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.first_seq, 20);
  EXPECT_EQ(report.entries, 10);
  // The log goes on: appends, checkpoints and verification from the anchor.
  AppendRange(31, 35);
  ASSERT_TRUE(Checkpoint(db(), key_, clock_).ok());
  report = Check();
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.entries, 15);
  EXPECT_EQ(report.checkpoints, 2);  // the anchor's and the new one
}

TEST_P(PurgeTest, AnExactly184DayCutOffIsAccepted) {
  AppendAged();
  auto purged = PurgeBefore(clock_.Now() - 184 * kDay, 10);
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged->purged, 20);
}

TEST_P(PurgeTest, TamperingAfterAPurgeIsStillDetected) {
  AppendAged();
  ASSERT_TRUE(PurgeBefore(clock_.Now() - 350 * kDay).ok());  // purges 1..10
  Sql("UPDATE audit_log SET account = 'x' WHERE seq = 25");
  ExpectFinding(25, "第 25 条审计记录的哈希与内容不符");
  Sql("UPDATE audit_log SET account = $1 WHERE seq = 25", {Entry(25).account});
  EXPECT_TRUE(Check().ok());
  Sql("DELETE FROM audit_log WHERE seq = 11");
  ExpectFinding(11, "第 10 条之后缺少记录（记录被删除）");
}

TEST_P(PurgeTest, AForgedAnchorIsDetected) {
  AppendAged();
  ASSERT_TRUE(PurgeBefore(clock_.Now() - 350 * kDay).ok());  // anchor at 10
  // Purging more by hand, around the 184-day rule: delete 11..15 and move the anchor.
  std::string hash15 = HashOf(15);
  Sql("DELETE FROM audit_log WHERE seq <= 15");
  Sql("UPDATE audit_head SET anchor_seq = 15, anchor_hash = $1 WHERE id = 1", {hash15});
  ExpectFinding(15, "日志起点（第 15 条，清理锚点）没有有效的签名检查点");
}

TEST_P(PurgeTest, AnEditedAnchorHashIsDetected) {
  AppendAged();
  ASSERT_TRUE(PurgeBefore(clock_.Now() - 350 * kDay).ok());
  Sql("UPDATE audit_head SET anchor_hash = $1 WHERE id = 1", {std::string(64, '0')});
  ExpectFinding(10, "与签名检查点不符（锚点被篡改）");
  Sql("UPDATE audit_head SET anchor_hash = 'zz' WHERE id = 1");
  ExpectFinding(10, "日志起点的哈希无法识别");
}

TEST_P(PurgeTest, ARemnantBeforeTheAnchorIsDetected) {
  AppendAged();
  auto records = Records();
  ASSERT_TRUE(PurgeBefore(clock_.Now() - 350 * kDay).ok());
  const AuditRecord& r = records.at(4);  // entry 5, put back
  const AuditEntry& e = r.entry;
  Sql("INSERT INTO audit_log (seq, logged_at, account, roles, scope, source_ip, request_id, action, target, outcome, "
      "details, entry_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {r.seq, e.time, e.account, e.roles, e.scope, e.source_ip, e.request_id, e.action, e.target,
       e.outcome, e.details, r.entry_hash});
  ExpectFinding(5, "第 5 条审计记录早于日志起点");
}

TEST_P(PurgeTest, RefusesToPurgeATamperedLog) {
  AppendAged();
  Sql("UPDATE audit_log SET details = '{\"edited\":true}' WHERE seq = 3");
  auto refused = PurgeBefore(clock_.Now() - 200 * kDay);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "audit_chain_broken");
  EXPECT_NE(refused.error().message.find("第 3 条"), std::string::npos) << refused.error().message;
  EXPECT_EQ(Records().size(), 30u) << "the evidence stays";
}

TEST_P(PurgeTest, OnlyAPrefixOfTheChainIsPurged) {
  // Entry 4 carries a recent time among old ones: the purge stops before it.
  Status s = db().WithWriter([&](db::Connection& c) -> Status {
    for (int i = 1; i <= 6; ++i)
      NEMIS_TRY(Append(c, Entry(i, clock_.Now() - (i == 4 ? 1 : 300) * kDay)));
    return {};
  });
  ASSERT_TRUE(s.ok());
  auto purged = PurgeBefore(clock_.Now() - 200 * kDay);
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged->purged, 3);
  EXPECT_EQ(purged->anchor_seq, 3);
  EXPECT_TRUE(Check().ok());
}

TEST_P(PurgeTest, NothingOldEnoughMeansNothingPurged) {
  AppendAged();
  auto purged = PurgeBefore(clock_.Now() - 500 * kDay);
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged->purged, 0);
  EXPECT_EQ(purged->anchor_seq, 0);
  EXPECT_EQ(Records().size(), 30u);
  EXPECT_EQ(Check().first_seq, 0);
}

TEST_P(PurgeTest, SuccessivePurgesMoveTheAnchor) {
  AppendAged();
  ASSERT_TRUE(Checkpoint(db(), key_, clock_).ok());  // at 30, survives both purges
  ASSERT_EQ(PurgeBefore(clock_.Now() - 350 * kDay)->anchor_seq, 10);
  ASSERT_EQ(PurgeBefore(clock_.Now() - 200 * kDay)->anchor_seq, 20);
  VerifyReport report = Check();
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.first_seq, 20);
  EXPECT_EQ(report.checkpoints, 2) << "the anchor at 10 went with the entries; 20 and 30 remain";
  // Everything old enough: the whole log goes, the chain continues from the anchor.
  clock_.Set(clock_.Now() + 200 * kDay);
  auto all = PurgeBefore(clock_.Now() - 184 * kDay);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->anchor_seq, 30);
  EXPECT_TRUE(Records().empty());
  EXPECT_TRUE(Check().ok()) << Check().problem;
  ASSERT_TRUE(Append(db(), Entry(31)).ok());
  ASSERT_EQ(Records().size(), 1u);
  EXPECT_EQ(Records()[0].seq, 31);
  EXPECT_TRUE(Check().ok()) << Check().problem;
}

NEMIS_STORE_TEST_SUITE(PurgeTest);

}  // namespace
}  // namespace nemis::audit
