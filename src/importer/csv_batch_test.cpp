#include "importer/csv_batch.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "importer/csv_reader.hpp"
#include "importer/csv_testing.hpp"
#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::importer {
namespace {

using testing::ReadAll;
using testing::Row;

Row ToRow(const BatchRecord& record) {
  Row row{{}, record.line(), record.byte_offset(), record.problem() ? record.problem()->code : ""};
  for (size_t i = 0; i < record.size(); ++i) row.fields.emplace_back(record.field(i));
  return row;
}

class RecordBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string text = "学籍号,姓名,家庭住址\n";
    for (int i = 0; i < 10; ++i) {
      const std::string n = std::to_string(i);
      // Appended piece by piece: a chained operator+ trips GCC 12's -Wrestrict at -O3.
      text.append("G").append(n).append(",王小明").append(n);
      text.append(",\"北京,\"\"东城\"\"\n").append(n).append("号\"\r\n");
    }
    text += "G10," + std::string(100, 'x') + ",太长\n";  // a problem record
    text += "G11,李𠮷,上海";
    path_ = dir_.File("batch.csv");
    testing::WriteFile(path_, text);
  }
  nemis::testing::TempDir dir_;
  std::string path_;
};

TEST_F(RecordBatchTest, BatchesHoldTheSameRecordsAsNext) {
  CsvOptions options;
  options.max_field_bytes = 50;
  const auto all = ReadAll(path_, options).rows;
  ASSERT_EQ(all.size(), 13u);
  auto reader = CsvReader::Open(path_, options);
  ASSERT_OK(reader);
  RecordBatch batch;
  std::vector<Row> rows;
  std::vector<size_t> sizes;
  while ((*reader)->ReadBatch(batch, 4) > 0) {
    sizes.push_back(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) rows.push_back(ToRow(batch.record(i)));
    // The batch's end is where the next record starts: its resume point.
    if (rows.size() < all.size()) {
      EXPECT_EQ(batch.end().byte_offset, all[rows.size()].offset);
      EXPECT_EQ(batch.end().line, all[rows.size()].line);
    }
  }
  EXPECT_EQ((*reader)->error(), nullptr);
  EXPECT_EQ(sizes, (std::vector<size_t>{4, 4, 4, 1}));
  EXPECT_EQ(rows, all);
  EXPECT_EQ(rows[1].fields[2], "北京,\"东城\"\n0号");
  EXPECT_EQ(rows[11].problem, "field_too_long");
  EXPECT_EQ(rows[12].fields[1], "李𠮷");
}

TEST_F(RecordBatchTest, RecordsOwnTheirBytesAndProblems) {
  CsvOptions options;
  options.max_field_bytes = 50;
  auto reader = CsvReader::Open(path_, options);
  RecordBatch first;
  ASSERT_EQ((*reader)->ReadBatch(first, 12), 12u);
  RecordBatch second;
  ASSERT_EQ((*reader)->ReadBatch(second, 12), 1u);  // the reader's buffer moved on
  EXPECT_EQ(first.record(1).field(1), "王小明0");
  EXPECT_EQ(first.record(10).field(0), "G9");
  ASSERT_EQ(first.problems().size(), 1u);
  EXPECT_EQ(first.problems()[0].first, 11u);
  ASSERT_NE(first.record(11).problem(), nullptr);
  EXPECT_EQ(first.record(11).problem()->column, 1u);
  EXPECT_EQ(first.record(11).size(), 0u);
  EXPECT_EQ(first.record(10).problem(), nullptr);
  EXPECT_EQ(second.record(0).line(), 23u);
}

TEST_F(RecordBatchTest, StopsEarlyAtTheByteBudget) {
  auto reader = CsvReader::Open(path_);
  RecordBatch batch;
  EXPECT_EQ((*reader)->ReadBatch(batch, 1000, 40), 2u);  // the header and one row exceed 40
  EXPECT_GE(batch.storage_bytes(), 40u);
}

TEST_F(RecordBatchTest, WorkersReadBatchesInParallel) {
  CsvOptions options;
  options.max_field_bytes = 50;
  auto reader = CsvReader::Open(path_, options);
  std::vector<RecordBatch> batches(4);
  for (auto& batch : batches) (*reader)->ReadBatch(batch, 3);
  std::vector<size_t> bytes(batches.size());
  std::vector<std::thread> workers;
  for (size_t w = 0; w < batches.size(); ++w) {
    workers.emplace_back([&, w] {
      for (size_t r = 0; r < batches[w].size(); ++r) {
        const BatchRecord record = batches[w].record(r);
        for (size_t f = 0; f < record.size(); ++f) bytes[w] += record.field(f).size();
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(bytes[0],
            std::string("学籍号姓名家庭住址G0王小明0北京,\"东城\"\n0号G1王小明1北京,\"东城\"\n1号")
                .size());
}

TEST(RecordBatchClearTest, ClearKeepsNothingButMemory) {
  RecordBatch batch;
  CsvRecord record;
  const std::string bytes = "ab,cd";
  record.data = bytes.data();
  record.fields = {{0, 2}, {3, 2}};
  record.line = 7;
  record.byte_offset = 70;
  batch.Append(record);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(batch.record(0).field(1), "cd");
  EXPECT_EQ(batch.record(0).line(), 7u);
  batch.Clear();
  EXPECT_TRUE(batch.empty());
  batch.Append(record);
  EXPECT_EQ(batch.record(0).field(0), "ab");
}

}  // namespace
}  // namespace nemis::importer
