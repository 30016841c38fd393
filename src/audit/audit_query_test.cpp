// The audit administrator's query: filters, keyset pages in both orders, bad filters.
#include "audit/audit_query.hpp"

#include <gtest/gtest.h>

#include "audit/audit_testing.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::audit {
namespace {

class AuditQueryTest : public AuditStoreTest {
 protected:
  void SetUp() override {
    AuditStoreTest::SetUp();
    AppendRange(1, 60);  // entry i is logged at kStart + i s
  }
  // Every seq matching `filter`, page by page; also checks the pages' sizes.
  std::vector<int64_t> All(AuditFilter filter) {
    std::vector<int64_t> seqs;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = Query(db(), filter);
      EXPECT_OK(page);
      if (!page.ok()) break;
      EXPECT_LE(static_cast<int>(page->records.size()), filter.limit);
      for (const auto& r : page->records) seqs.push_back(r.seq);
      if (!page->next_after_seq) break;
      EXPECT_EQ(static_cast<int>(page->records.size()), filter.limit);
      filter.after_seq = page->next_after_seq;
    }
    return seqs;
  }
  // The seqs of entries 1..60 for which `keep` holds, ascending.
  template <class F>
  std::vector<int64_t> Expected(F keep) {
    std::vector<int64_t> out;
    for (int i = 1; i <= 60; ++i)
      if (keep(Entry(i))) out.push_back(i);
    return out;
  }
};

TEST_P(AuditQueryTest, PagesThroughEverything) {
  AuditFilter f;
  f.limit = 7;
  EXPECT_EQ(All(f), Expected([](const AuditEntry&) { return true; }));
  auto first = Query(db(), f);
  ASSERT_OK(first);
  EXPECT_EQ(first->records[0].entry, Entry(1));
  EXPECT_EQ(first->records[0].entry_hash, HashOf(1));
  EXPECT_EQ(first->next_after_seq, 7);
}

TEST_P(AuditQueryTest, FiltersByAccountActionAndOutcome) {
  AuditFilter f;
  f.limit = 4;
  f.account = "user2";
  EXPECT_EQ(All(f), Expected([](const AuditEntry& e) { return e.account == "user2"; }));
  f.action = "student.view_sensitive";
  auto both = Expected([](const AuditEntry& e) {
    return e.account == "user2" && e.action == "student.view_sensitive";
  });
  ASSERT_FALSE(both.empty());
  EXPECT_EQ(All(f), both);
  f = AuditFilter{};
  f.outcome = "denied";
  f.action = "authz.deny";
  auto denied = Expected(
      [](const AuditEntry& e) { return e.outcome == "denied" && e.action == "authz.deny"; });
  ASSERT_FALSE(denied.empty());
  EXPECT_EQ(All(f), denied);
  f = AuditFilter{};
  f.account = "nobody";
  EXPECT_TRUE(All(f).empty());
}

TEST_P(AuditQueryTest, FiltersByTimeFromInclusiveToExclusive) {
  AuditFilter f;
  f.from = kStart + std::chrono::seconds(10);
  f.to = kStart + std::chrono::seconds(20);
  f.limit = 3;
  std::vector<int64_t> expected;
  for (int64_t i = 10; i < 20; ++i) expected.push_back(i);
  EXPECT_EQ(All(f), expected);
}

TEST_P(AuditQueryTest, NewestFirstPagesBackwards) {
  AuditFilter f;
  f.newest_first = true;
  f.limit = 25;
  f.outcome = "success";
  auto expected = Expected([](const AuditEntry& e) { return e.outcome == "success"; });
  std::reverse(expected.begin(), expected.end());
  EXPECT_EQ(All(f), expected);
  f = AuditFilter{};
  f.newest_first = true;
  f.after_seq = 5;
  f.limit = 100;
  EXPECT_EQ(All(f), (std::vector<int64_t>{4, 3, 2, 1}));
}

TEST_P(AuditQueryTest, ClampsTheLimit) {
  AuditFilter f;
  f.limit = 0;
  auto page = Query(db(), f);
  ASSERT_OK(page);
  EXPECT_EQ(page->records.size(), 1u);
  EXPECT_EQ(page->next_after_seq, 1);
  f.limit = 1000000;
  page = Query(db(), f);
  ASSERT_OK(page);
  EXPECT_EQ(page->records.size(), 60u);
  EXPECT_FALSE(page->next_after_seq);
}

TEST_P(AuditQueryTest, RefusesBadFilters) {
  AuditFilter f;
  f.outcome = "ok";
  auto refused = Query(db(), f);
  ASSERT_THAT(refused, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(refused.error().fields.at(0).field, "outcome");
  f = AuditFilter{};
  f.from = kStart + std::chrono::seconds(20);
  f.to = kStart + std::chrono::seconds(10);
  refused = Query(db(), f);
  ASSERT_THAT(refused, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(refused.error().fields.at(0).code, "before_from");
}

NEMIS_STORE_TEST_SUITE(AuditQueryTest);

}  // namespace
}  // namespace nemis::audit
