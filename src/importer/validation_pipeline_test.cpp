#include "importer/validation_pipeline.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <vector>

#include "importer/roster_row.hpp"
#include "importer/student_import_testing.hpp"
#include "registry/school_lookup.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::importer {
namespace {

using testing::kHeader;
using testing::Row;

// Runs the pipeline over a roster of 250 rows in units of 20 (13 units) on two threads.
// No school is known, so every row is invalid: these tests are about order and flow.
class ValidationPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = Write(Roster(250)); }

  static std::string Roster(int rows) {
    std::string out(kHeader);
    for (int i = 0; i < rows; ++i) out += Row(i);
    return out;
  }
  std::string Write(const std::string& content) {
    std::string path = dir_.File("roster.csv");
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  Status Run(const std::function<Status(const RecordBatch&)>& before,
             const std::function<Status(BatchVerdict&)>& after) {
    auto reader = CsvReader::Open(path_, {});
    EXPECT_OK(reader);
    auto layout = ReadRosterHeader(**reader);
    EXPECT_OK(layout);
    BatchValidation how{&*layout, {Date{2025, 11, 1}, &schools_, &scope_}, nullptr, 0, false};
    total_bytes_ = (*reader)->total_bytes();
    return RunValidation(**reader, how, options_, before, after, &failed_line_);
  }

  ::nemis::testing::TempDir dir_;
  std::string path_;
  registry::SchoolMap schools_{{}};
  org::Scope scope_ = org::Scope::Everything();
  PipelineOptions options_{2, 20, nullptr, nullptr};
  uint64_t failed_line_ = 0;
  uint64_t total_bytes_ = 0;
};

TEST_F(ValidationPipelineTest, VerdictsArriveInFileOrderAfterTheirBatchWasSeen) {
  std::vector<uint64_t> seen_batches, verdict_lines;
  std::vector<std::pair<uint64_t, uint64_t>> progress;
  options_.on_progress = [&](uint64_t rows, uint64_t bytes) { progress.emplace_back(rows, bytes); };
  Status s = Run(
      [&](const RecordBatch& batch) {
        seen_batches.push_back(batch.record(0).line());
        return Status();
      },
      [&](BatchVerdict& verdict) {
        // The batch holding these rows was shown to `before` first.
        EXPECT_GE(seen_batches.size(), verdict_lines.size() / 20 + 1);
        for (const auto& row : verdict.rows) {
          verdict_lines.push_back(row.line);
          EXPECT_FALSE(row.errors.empty());
          EXPECT_FALSE(row.student.has_value());
        }
        return Status();
      });
  ASSERT_OK(s);
  ASSERT_EQ(verdict_lines.size(), 250u);
  for (size_t i = 0; i < verdict_lines.size(); ++i) EXPECT_EQ(verdict_lines[i], i + 2);
  ASSERT_EQ(seen_batches.size(), 13u);
  for (size_t i = 0; i < seen_batches.size(); ++i) EXPECT_EQ(seen_batches[i], 2 + 20 * i);
  ASSERT_EQ(progress.size(), 13u);
  EXPECT_EQ(progress.back(), std::make_pair(uint64_t{250}, total_bytes_));
  EXPECT_EQ(failed_line_, 0u);
}

TEST_F(ValidationPipelineTest, AnErrorFromAfterStopsTheRun) {
  int calls = 0;
  Status s = Run(nullptr, [&](BatchVerdict&) -> Status {
    if (++calls == 3) return Error::Unavailable("store gone");
    return {};
  });
  ASSERT_THAT(s, nemis::testing::IsErrorCode("store_unavailable"));
  EXPECT_EQ(s.error().message, "store gone");
  EXPECT_EQ(calls, 3);
}

TEST_F(ValidationPipelineTest, AnErrorFromBeforeStopsTheRun) {
  int batches = 0, verdicts = 0;
  Status s = Run(
      [&](const RecordBatch&) -> Status {
        if (++batches == 2) return Error::Conflict("school_refused", "no");
        return {};
      },
      [&](BatchVerdict&) {
        ++verdicts;
        return Status();
      });
  ASSERT_THAT(s, nemis::testing::IsErrorCode("school_refused"));
  EXPECT_EQ(batches, 2);
  EXPECT_LE(verdicts, 1);
}

TEST_F(ValidationPipelineTest, CancellingStopsBeforeTheNextUnit) {
  std::atomic<bool> cancel{false};
  options_.cancel = &cancel;
  int verdicts = 0;
  Status s = Run(nullptr, [&](BatchVerdict&) {
    if (++verdicts == 2) cancel = true;
    return Status();
  });
  ASSERT_THAT(s, nemis::testing::IsErrorCode("import_interrupted"));
  EXPECT_EQ(s.error().kind, ErrorKind::kUnavailable);
  EXPECT_LT(verdicts, 13);
}

TEST_F(ValidationPipelineTest, AFatalReaderErrorEndsTheRunAndNamesItsLine) {
  path_ = Write(Roster(100) + "\"an unterminated quote,1,2019-03-15\n" +
                Roster(50).substr(kHeader.size()));
  uint64_t rows = 0;
  Status s = Run(nullptr, [&](BatchVerdict& verdict) {
    rows += verdict.rows.size();
    return Status();
  });
  ASSERT_THAT(s, nemis::testing::IsErrorCode("unterminated_quote"));
  EXPECT_EQ(failed_line_, 102u);
  EXPECT_EQ(rows, 100u);
}

}  // namespace
}  // namespace nemis::importer
