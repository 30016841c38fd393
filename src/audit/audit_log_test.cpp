// Appending: the round trip, validation, appending inside another module's transaction,
// and concurrent appenders, on both back ends.
#include "audit/audit_log.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "audit/audit_query.hpp"
#include "audit/audit_testing.hpp"

namespace nemis::audit {
namespace {

class AuditLogTest : public AuditStoreTest {
 protected:
  db::Options StoreOptions() const override {
    db::Options options = AuditStoreTest::StoreOptions();
    options.pool_size = 8;  // the concurrency test runs 8 appenders at once
    return options;
  }
};

TEST_P(AuditLogTest, AFewHundredEntriesRoundTripAndVerify) {
  for (int i = 1; i <= 300; ++i) {
    auto seq = Append(db(), Entry(i));
    ASSERT_TRUE(seq.ok()) << seq.error().message;
    ASSERT_EQ(*seq, i);
  }
  std::vector<AuditRecord> records = Records();
  ASSERT_EQ(records.size(), 300u);
  std::string prev = GenesisHash();
  for (int i = 1; i <= 300; ++i) {
    const AuditRecord& r = records[static_cast<size_t>(i - 1)];
    EXPECT_EQ(r.seq, i);
    EXPECT_EQ(r.entry, Entry(i));
    prev = ChainHash(prev, i, Entry(i));
    EXPECT_EQ(r.entry_hash, crypto::ToHex(prev)) << i;
  }
  VerifyReport report = Check(64);
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.entries, 300);
  EXPECT_EQ(report.first_seq, 0);
  EXPECT_EQ(report.last_seq, 300);
}

TEST_P(AuditLogTest, AnEmptyLogVerifies) {
  VerifyReport report = Check();
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.entries, 0);
}

TEST_P(AuditLogTest, EmptyDetailsAreStoredAndHashedAsAnEmptyObject) {
  AuditEntry e = Entry(1);
  e.details = "";
  ASSERT_TRUE(Append(db(), e).ok());
  e.details = "{}";
  ASSERT_EQ(Records().size(), 1u);
  EXPECT_EQ(Records()[0].entry, e);
  EXPECT_EQ(Records()[0].entry_hash, crypto::ToHex(ChainHash(GenesisHash(), 1, e)));
  EXPECT_TRUE(Check().ok());
}

TEST_P(AuditLogTest, ARefusedEntryLeavesNoTraceAndNoGap) {
  AuditEntry bad = Entry(1);
  bad.outcome = "maybe";
  auto refused = Append(db(), bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "validation_failed");
  EXPECT_EQ(refused.error().fields.at(0).field, "outcome");
  EXPECT_TRUE(Records().empty());
  auto seq = Append(db(), Entry(1));
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(*seq, 1);
}

TEST_P(AuditLogTest, AnEntryCommitsAndRollsBackWithTheAuditedWrite) {
  Sql("CREATE TABLE grade_change (id INTEGER PRIMARY KEY, note TEXT NOT NULL)");
  auto write = [&](int id, bool fail) {
    return db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(c.Query("INSERT INTO grade_change (id, note) VALUES ($1, 'x')", {id}));
      NEMIS_TRY(Append(c, Entry(id)));
      if (fail) return Error::Conflict("later_step_failed", "a later step of the write failed");
      return {};
    });
  };
  EXPECT_FALSE(write(1, true).ok());
  ASSERT_TRUE(write(2, false).ok());
  EXPECT_FALSE(write(3, true).ok());
  ASSERT_TRUE(write(4, false).ok());
  std::vector<AuditRecord> records = Records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].seq, 1);
  EXPECT_EQ(records[0].entry, Entry(2));
  EXPECT_EQ(records[1].seq, 2);
  EXPECT_EQ(records[1].entry, Entry(4));
  auto rows = db().Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
    NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT count(*) FROM grade_change"));
    return rs.rows.at(0).Int(0);
  });
  EXPECT_EQ(*rows, 2);
  EXPECT_TRUE(Check().ok());
}

TEST_P(AuditLogTest, ConcurrentAppendersFormOneUnbrokenChain) {
  // Half the appenders go through a second Database on the same store, as a second
  // process (or node instance) would.
  auto second = db::Database::Open(url(), StoreOptions());
  ASSERT_TRUE(second.ok()) << second.error().message;
  constexpr int kThreads = 8, kEach = 40;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::vector<std::vector<int64_t>> seqs(kThreads);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      db::Database& target = t % 2 == 0 ? db() : **second;
      for (int i = 0; i < kEach; ++i) {
        auto seq = Append(target, Entry(t * 1000 + i));
        if (!seq.ok()) {
          ++failures;
          continue;
        }
        seqs[static_cast<size_t>(t)].push_back(*seq);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<int64_t> all;
  for (const auto& s : seqs) {
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end())) << "one thread's entries come in its order";
    all.insert(s.begin(), s.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach)) << "no seq was handed out twice";
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kEach) << "no gaps";
  VerifyReport report = Check(50);
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.entries, kThreads * kEach);
}

TEST_P(AuditLogTest, AppendingFailsClosedWithoutTheHead) {
  AppendRange(1, 3);
  Sql("DELETE FROM audit_head");
  auto refused = Append(db(), Entry(4));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kInternal);
  EXPECT_EQ(Records().size(), 3u);
  VerifyReport report = Check();
  EXPECT_EQ(report.bad_seq, 0);
  EXPECT_NE(report.problem.find("链头缺失"), std::string::npos) << report.problem;
}

TEST_P(AuditLogTest, AppendingFailsClosedWithADamagedHead) {
  AppendRange(1, 3);
  Sql("UPDATE audit_head SET last_hash = 'not hex' WHERE id = 1");
  auto refused = Append(db(), Entry(4));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("链头已损坏"), std::string::npos);
  EXPECT_EQ(Records().size(), 3u);
}

NEMIS_STORE_TEST_SUITE(AuditLogTest);

}  // namespace
}  // namespace nemis::audit
