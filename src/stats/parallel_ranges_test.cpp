// Reading ranges on several threads: every id of (0, last] is read exactly once whatever
// the batch and the threads; a failed read or apply stops the rest and is the answer.
#include "stats/parallel_ranges.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "testing/result_matchers.hpp"

namespace nemis::stats {
namespace {

using nemis::testing::IsErrorCode;

// A range's rows: one per id.
Result<std::vector<StudentFacts>> Rows(int64_t after, int64_t upto) {
  std::vector<StudentFacts> rows;
  for (int64_t id = after + 1; id <= upto; ++id) {
    StudentFacts f;
    f.id = id;
    rows.push_back(std::move(f));
  }
  return rows;
}

TEST(ParallelRangesTest, EveryIdIsReadOnceWhateverTheBatchAndThreads) {
  for (int threads : {1, 2, 5}) {
    for (int64_t batch : {1, 7, 1000}) {
      std::multiset<int64_t> seen;
      ASSERT_OK(ReadRangesInParallel(250, batch, threads, Rows,
                                     [&](std::vector<StudentFacts>& rows) -> Status {
                                       for (const auto& r : rows) seen.insert(r.id);
                                       return {};
                                     }));
      ASSERT_EQ(seen.size(), 250u) << threads << " threads, batch " << batch;
      for (int64_t id = 1; id <= 250; ++id) EXPECT_EQ(seen.count(id), 1u) << id;
    }
  }
  int calls = 0;
  ASSERT_OK(ReadRangesInParallel(0, 10, 2, Rows, [&](std::vector<StudentFacts>&) -> Status {
    ++calls;
    return {};
  }));
  EXPECT_EQ(calls, 0);  // an empty table
}

TEST(ParallelRangesTest, AFailedReadOrApplyStopsTheRest) {
  std::atomic<int> reads{0};
  auto failing_read = [&](int64_t after, int64_t upto) -> Result<std::vector<StudentFacts>> {
    ++reads;
    if (after == 50) return Error::Unavailable("数据库不可用");
    return Rows(after, upto);
  };
  Status read_failed = ReadRangesInParallel(
      100000, 10, 2, failing_read, [](std::vector<StudentFacts>&) -> Status { return {}; });
  EXPECT_THAT(read_failed, IsErrorCode("store_unavailable"));
  EXPECT_LT(reads.load(), 10000);  // stopped well before the end
  int applied = 0;
  Status apply_failed =
      ReadRangesInParallel(100000, 10, 2, Rows, [&](std::vector<StudentFacts>&) -> Status {
        return ++applied == 3 ? Status(Error::Internal("统计投影：某一列的不同取值过多"))
                              : Status{};
      });
  EXPECT_THAT(apply_failed, IsErrorCode("internal"));
  EXPECT_EQ(applied, 3);
}

}  // namespace
}  // namespace nemis::stats
