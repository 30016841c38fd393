#include "importer/csv_batch.hpp"

#include <algorithm>

namespace nemis::importer {

BatchRecord::BatchRecord(const RecordBatch& batch, size_t index)
    : batch_(&batch),
      index_(index),
      first_(batch.field_begin_[index]),
      last_(batch.field_begin_[index + 1]) {}

std::string_view BatchRecord::field(size_t i) const {
  const CsvFieldSpan& f = batch_->fields_[first_ + i];
  return {batch_->storage_.data() + f.offset, f.length};
}

uint64_t BatchRecord::line() const { return batch_->lines_[index_]; }

uint64_t BatchRecord::byte_offset() const { return batch_->byte_offsets_[index_]; }

const CsvRecordProblem* BatchRecord::problem() const {
  const auto& problems = batch_->problems_;
  auto it = std::lower_bound(problems.begin(), problems.end(), index_,
                             [](const auto& p, size_t i) { return p.first < i; });
  return it != problems.end() && it->first == index_ ? &it->second : nullptr;
}

void RecordBatch::Clear() {
  storage_.clear();
  fields_.clear();
  field_begin_.assign(1, 0);
  lines_.clear();
  byte_offsets_.clear();
  problems_.clear();
  end_ = {};
}

void RecordBatch::Append(const CsvRecord& record) {
  if (field_begin_.empty()) field_begin_.push_back(0);
  const auto index = static_cast<uint32_t>(lines_.size());
  lines_.push_back(record.line);
  byte_offsets_.push_back(record.byte_offset);
  if (record.problem) problems_.emplace_back(index, *record.problem);
  if (!record.fields.empty()) {
    // Fields lie in order inside the record's bytes: one copy moves them all.
    const CsvFieldSpan& last = record.fields.back();
    const size_t span = size_t{last.offset} + last.length;
    const auto base = static_cast<uint32_t>(storage_.size());
    storage_.append(record.data, span);
    for (const CsvFieldSpan& f : record.fields) fields_.push_back({base + f.offset, f.length});
  }
  field_begin_.push_back(static_cast<uint32_t>(fields_.size()));
}

}  // namespace nemis::importer
