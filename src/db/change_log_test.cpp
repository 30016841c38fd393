// The change log's guarantees on both back ends, with writers and sealers running at
// once: every change is numbered exactly once, seqs run 1..N without gaps, a writer's
// changes keep its order, a change rolled back leaves no row, and (PostgreSQL) a change
// committed late is numbered after the ones committed before it, never skipped.
#include "db/change_log.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "db/migrations/migrate.hpp"
#include "testing/store_fixture.hpp"

namespace nemis::db {
namespace {

constexpr std::string_view kChanges =
    "SELECT seq, entity, entity_id, op FROM change_log ORDER BY seq";
constexpr std::string_view kChangedAt = "2026-12-04T08:00:00.000Z";

struct Change {
  int64_t seq, entity_id;
  std::string entity, op;
};

// A write of the change of entity `id`, left open on a thread of its own until Commit.
class OpenWrite {
 public:
  OpenWrite(Database& db, int64_t id)
      : thread_([this, &db, id] {
          Status s = db.WithWriter([&](Connection& c) -> Status {
            const int64_t ids[] = {id};
            NEMIS_TRY(AppendChanges(c, "student", ChangeOp::kInsert, ids, kChangedAt));
            // A query sends the deferred row now (PostgreSQL), so its id is taken long
            // before it commits: insertion order is not commit order.
            NEMIS_TRY(c.Query("SELECT 1"));
            written_.count_down();
            release_.wait();
            return {};
          });
          EXPECT_TRUE(s.ok());
        }) {
    written_.wait();
  }
  ~OpenWrite() { Commit(); }
  void Commit() {
    if (!thread_.joinable()) return;
    release_.count_down();
    thread_.join();
  }

 private:
  std::latch written_{1}, release_{1};
  std::thread thread_;
};

class ChangeLogTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(Migrate(db()).ok());
  }
  Options StoreOptions() const override {
    Options options = StoreTest::StoreOptions();
    options.pool_size = 8;
    return options;
  }

  static Status Write(Database& target, int64_t id, ChangeOp op = ChangeOp::kInsert,
                      bool fail = false) {
    return target.WithWriter([&](Connection& c) -> Status {
      const int64_t ids[] = {id};
      NEMIS_TRY(AppendChanges(c, "student", op, ids, kChangedAt));
      if (fail) return Error::Conflict("later_step_failed", "a later step of the write failed");
      return {};
    });
  }

  void SealAll() {
    for (;;) {
      auto sealed = SealChanges(db());
      ASSERT_TRUE(sealed.ok()) << sealed.error().message;
      if (*sealed == 0) return;
    }
  }

  std::vector<Change> Changes() {
    SealAll();
    auto rs = db().Read<ResultSet>([](Connection& c) { return c.Query(kChanges); });
    EXPECT_TRUE(rs.ok()) << rs.error().message;
    std::vector<Change> out;
    if (!rs.ok()) return out;
    for (const Row& row : rs->rows)
      out.push_back({row.Int(0), row.Int(2), row.Text(1), row.Text(3)});
    return out;
  }

  int64_t LastSeq() {
    auto last = db().Read<int64_t>([](Connection& c) { return LastChangeSeq(c); });
    EXPECT_TRUE(last.ok());
    return last.ok() ? *last : -1;
  }
};

TEST_P(ChangeLogTest, ARolledBackWriteLeavesNoChange) {
  ASSERT_TRUE(Write(db(), 1).ok());
  EXPECT_FALSE(Write(db(), 2, ChangeOp::kInsert, true).ok());
  ASSERT_TRUE(Write(db(), 3, ChangeOp::kUpdate).ok());
  std::vector<Change> changes = Changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].seq, 1);
  EXPECT_EQ(changes[0].entity_id, 1);
  EXPECT_EQ(changes[0].op, "I");
  EXPECT_EQ(changes[1].seq, 2);
  EXPECT_EQ(changes[1].entity_id, 3);
  EXPECT_EQ(changes[1].op, "U");
  EXPECT_EQ(LastSeq(), 2);
}

TEST_P(ChangeLogTest, BulkAndSingleChangesShareOneGapFreeSequence) {
  ASSERT_TRUE(Write(db(), 1).ok());
  std::vector<int64_t> batch;
  for (int64_t id = 100; id < 150; ++id) batch.push_back(id);  // past the bulk threshold
  ASSERT_TRUE(db().WithWriter([&](Connection& c) {
                    return AppendChanges(c, "student", ChangeOp::kInsert, batch, kChangedAt);
                  })
                  .ok());
  ASSERT_TRUE(Write(db(), 2).ok());
  std::vector<Change> changes = Changes();
  ASSERT_EQ(changes.size(), 52u);
  for (size_t k = 0; k < changes.size(); ++k)
    EXPECT_EQ(changes[k].seq, static_cast<int64_t>(k + 1));
  EXPECT_EQ(LastSeq(), 52);
}

TEST_P(ChangeLogTest, ConcurrentWritersAndSealersNumberEachChangeOnceInOrder) {
  auto second = Database::Open(url(), StoreOptions());
  ASSERT_TRUE(second.ok()) << second.error().message;
  constexpr int kWriters = 6, kEach = 50;
  std::atomic<int> failures{0};
  std::atomic<bool> writing{true};
  std::vector<std::thread> sealers;
  sealers.reserve(2);
  for (int s = 0; s < 2; ++s) {
    sealers.emplace_back([&, s] {
      Database& target = s == 0 ? db() : **second;
      while (writing.load()) {
        if (!SealChanges(target, 7).ok()) ++failures;
      }
    });
  }
  std::vector<std::thread> writers;
  writers.reserve(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      Database& target = w % 2 == 0 ? db() : **second;
      for (int i = 0; i < kEach; ++i) {
        if (!Write(target, w * 1000 + i).ok()) ++failures;
      }
    });
  }
  for (auto& t : writers) t.join();
  writing = false;
  for (auto& t : sealers) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<Change> changes = Changes();
  ASSERT_EQ(changes.size(), static_cast<size_t>(kWriters * kEach));
  std::vector<int> next_of_writer(kWriters, 0);
  for (size_t k = 0; k < changes.size(); ++k) {
    EXPECT_EQ(changes[k].seq, static_cast<int64_t>(k + 1)) << "gap-free, each seq once";
    const int64_t id = changes[k].entity_id;
    EXPECT_EQ(id % 1000, next_of_writer[static_cast<size_t>(id / 1000)]++)
        << "a writer's changes keep its order";
  }
  EXPECT_EQ(LastSeq(), kWriters * kEach);
}

TEST_P(ChangeLogTest, AChangeCommittedLateIsNumberedNextNotSkipped) {
  if (backend() != Backend::kPostgres)
    GTEST_SKIP() << "SQLite's one writer cannot commit out of order";
  OpenWrite slow(db(), 1);
  ASSERT_TRUE(Write(db(), 2).ok());
  std::vector<Change> first = Changes();
  ASSERT_EQ(first.size(), 1u) << "the open transaction's change is not visible yet";
  EXPECT_EQ(first[0].entity_id, 2);
  EXPECT_EQ(first[0].seq, 1);
  slow.Commit();
  std::vector<Change> both = Changes();
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1].entity_id, 1);
  EXPECT_EQ(both[1].seq, 2);
}

// On PostgreSQL an ordinary write takes no lock that another write needs until it
// commits: a second write commits while the first is still open (before the redesign
// it waited for the change_seq row).
TEST_P(ChangeLogTest, AnOpenWriteDoesNotHoldUpAnother) {
  if (backend() != Backend::kPostgres) GTEST_SKIP() << "SQLite has one writer by design";
  OpenWrite slow(db(), 1);
  // Had the first write held a lock this one needs, it would fail on the lock timeout
  // (instead of waiting for a release that comes only after it).
  Status second = db().WithWriter([&](Connection& c) -> Status {
    NEMIS_TRY(c.ExecScript("SET LOCAL lock_timeout = '10s'"));
    const int64_t ids[] = {2};
    return AppendChanges(c, "student", ChangeOp::kInsert, ids, kChangedAt);
  });
  slow.Commit();
  EXPECT_TRUE(second.ok()) << second.error().message;
}

NEMIS_STORE_TEST_SUITE(ChangeLogTest);

}  // namespace
}  // namespace nemis::db
