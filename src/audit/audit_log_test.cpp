// Appending: the round trip, validation, appending inside another module's transaction,
// and concurrent appenders, on both back ends.
#include "audit/audit_log.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
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

  // Entries in audit_log, without sealing first.
  int64_t SealedCount() {
    auto n = db().Read<int64_t>([](db::Connection& c) -> Result<int64_t> {
      NEMIS_ASSIGN_OR_RETURN(auto rs, c.Query("SELECT count(*) FROM audit_log"));
      return rs.rows.at(0).Int(0);
    });
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  // Why `entry` cannot join the chain: SQLite refuses the append itself; PostgreSQL
  // keeps the entry pending (the write it belongs to commits) and refuses to seal it.
  Error RefusalOf(const AuditEntry& entry) {
    Status appended = Append(db(), entry);
    if (backend() == db::Backend::kSqlite) {
      EXPECT_FALSE(appended.ok());
      return appended.ok() ? Error::Internal("appended") : appended.error();
    }
    EXPECT_TRUE(appended.ok());
    auto sealed = audit::Seal(db());
    EXPECT_FALSE(sealed.ok());
    return sealed.ok() ? Error::Internal("sealed") : sealed.error();
  }
};

TEST_P(AuditLogTest, AFewHundredEntriesRoundTripAndVerify) {
  for (int i = 1; i <= 300; ++i) {
    Status appended = Append(db(), Entry(i));
    ASSERT_TRUE(appended.ok()) << appended.error().message;
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
  ASSERT_TRUE(Append(db(), Entry(1)).ok());
  ASSERT_EQ(Records().size(), 1u);
  EXPECT_EQ(Records()[0].seq, 1);
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

// Appenders and sealers at once, half of each through a second Database on the same
// store, as a second process (or node instance) would: every entry is sealed exactly
// once, seqs run 1..N without gaps, each appender's entries keep its order, and the
// chain verifies.
TEST_P(AuditLogTest, ConcurrentAppendersAndSealersFormOneUnbrokenChain) {
  auto second = db::Database::Open(url(), StoreOptions());
  ASSERT_TRUE(second.ok()) << second.error().message;
  constexpr int kThreads = 6, kEach = 40;
  std::atomic<int> failures{0};
  std::atomic<bool> appending{true};
  std::vector<std::thread> sealers;
  sealers.reserve(2);
  for (int s = 0; s < 2; ++s) {
    sealers.emplace_back([&, s] {
      db::Database& target = s == 0 ? db() : **second;
      while (appending.load()) {
        if (!audit::Seal(target).ok()) ++failures;
      }
    });
  }
  std::vector<std::thread> appenders;
  appenders.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    appenders.emplace_back([&, t] {
      db::Database& target = t % 2 == 0 ? db() : **second;
      for (int i = 0; i < kEach; ++i) {
        if (!Append(target, Entry(t * 1000 + i)).ok()) ++failures;
      }
    });
  }
  for (auto& th : appenders) th.join();
  appending = false;
  for (auto& th : sealers) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<AuditRecord> records = Records();
  ASSERT_EQ(records.size(), static_cast<size_t>(kThreads * kEach));
  std::vector<int> next_of_thread(kThreads, 0);
  for (size_t k = 0; k < records.size(); ++k) {
    EXPECT_EQ(records[k].seq, static_cast<int64_t>(k + 1)) << "gap-free, each seq once";
    int n = std::stoi(records[k].entry.request_id.substr(4));  // "req-<n>"
    EXPECT_EQ(records[k].entry, Entry(n));
    EXPECT_EQ(n % 1000, next_of_thread[static_cast<size_t>(n / 1000)]++)
        << "an appender's entries keep its order";
  }
  VerifyReport report = Check(50);
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.entries, kThreads * kEach);
}

// PostgreSQL: a write that commits after a later one is sealed after it, never skipped.
TEST_P(AuditLogTest, AnEntryCommittedLateIsSealedNextNotSkipped) {
  if (backend() != db::Backend::kPostgres)
    GTEST_SKIP() << "SQLite's one writer cannot commit out of order";
  std::latch appended(1), release(1);
  std::thread slow([&] {
    Status s = db().WithWriter([&](db::Connection& c) -> Status {
      NEMIS_TRY(Append(c, Entry(1)));
      NEMIS_TRY(c.Query("SELECT 1"));  // sends the deferred entry now, long before the commit
      appended.count_down();
      release.wait();
      return {};
    });
    EXPECT_TRUE(s.ok());
  });
  appended.wait();
  ASSERT_TRUE(Append(db(), Entry(2)).ok());
  std::vector<AuditRecord> first = Records();
  ASSERT_EQ(first.size(), 1u) << "the open transaction's entry is not visible yet";
  EXPECT_EQ(first[0].entry, Entry(2));
  release.count_down();
  slow.join();
  std::vector<AuditRecord> both = Records();
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1].seq, 2);
  EXPECT_EQ(both[1].entry, Entry(1));
  EXPECT_TRUE(Check().ok());
}

TEST_P(AuditLogTest, AppendingFailsClosedWithoutTheHead) {
  AppendRange(1, 3);
  Sql("DELETE FROM audit_head");
  Error refused = RefusalOf(Entry(4));
  EXPECT_EQ(refused.kind, ErrorKind::kInternal);
  EXPECT_NE(refused.message.find("链头缺失"), std::string::npos) << refused.message;
  EXPECT_EQ(SealedCount(), 3);
  auto report = Verify(db(), key_.PublicKey(), {7});
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->bad_seq, 0);
  EXPECT_NE(report->problem.find("链头缺失"), std::string::npos) << report->problem;
}

TEST_P(AuditLogTest, AppendingFailsClosedWithADamagedHead) {
  AppendRange(1, 3);
  Sql("UPDATE audit_head SET last_hash = 'not hex' WHERE id = 1");
  Error refused = RefusalOf(Entry(4));
  EXPECT_NE(refused.message.find("链头已损坏"), std::string::npos) << refused.message;
  EXPECT_EQ(SealedCount(), 3);
}

NEMIS_STORE_TEST_SUITE(AuditLogTest);

}  // namespace
}  // namespace nemis::audit
