// A batch of records copied out of the reader, so that one thread can read while workers
// validate. One contiguous buffer per batch holds every field's bytes; fields are addressed by
// offset and length, so a batch of 50 000 rows costs a handful of allocations, and those are
// reused when the batch is refilled.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "importer/csv_record.hpp"

namespace nemis::importer {

class RecordBatch;

/// One record of a batch; cheap to copy, valid while the batch is unchanged.
class BatchRecord {
 public:
  size_t size() const { return last_ - first_; }
  std::string_view field(size_t i) const;
  uint64_t line() const;
  uint64_t byte_offset() const;
  /// The reader's problem with this record (it then has no fields), or null.
  const CsvRecordProblem* problem() const;
  size_t index() const { return index_; }

 private:
  friend class RecordBatch;
  BatchRecord(const RecordBatch& batch, size_t index);

  const RecordBatch* batch_;
  size_t index_;
  uint32_t first_;
  uint32_t last_;
};

class RecordBatch {
 public:
  size_t size() const { return lines_.size(); }
  bool empty() const { return lines_.empty(); }
  BatchRecord record(size_t i) const { return BatchRecord(*this, i); }
  /// Bytes held for field contents.
  size_t storage_bytes() const { return storage_.size(); }
  /// Where the record after this batch starts: the resume point once the batch is committed.
  const CsvPosition& end() const { return end_; }
  /// Records with a problem, by index, in increasing order.
  const std::vector<std::pair<uint32_t, CsvRecordProblem>>& problems() const { return problems_; }

  /// Empties the batch, keeping its memory.
  void Clear();
  /// Copies `record` in (its fields become owned by the batch).
  void Append(const CsvRecord& record);
  void set_end(const CsvPosition& end) { end_ = end; }

 private:
  friend class BatchRecord;

  std::string storage_;                // field bytes, record after record
  std::vector<CsvFieldSpan> fields_;   // offsets into storage_
  std::vector<uint32_t> field_begin_;  // record i: fields_[field_begin_[i] .. field_begin_[i+1])
  std::vector<uint64_t> lines_;
  std::vector<uint64_t> byte_offsets_;
  std::vector<std::pair<uint32_t, CsvRecordProblem>> problems_;
  CsvPosition end_;
};

}  // namespace nemis::importer
