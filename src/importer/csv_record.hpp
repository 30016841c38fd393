// One CSV record as the reader hands it out: views of its fields (valid until the reader's
// next call), where it starts in the file, and what was wrong with it if it could not be read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nemis::importer {

/// A field as offset and length from the start of its record's bytes.
struct CsvFieldSpan {
  uint32_t offset;
  uint32_t length;
};

/// Where a record starts: what an import saves as its resume point.
struct CsvPosition {
  uint64_t byte_offset = 0;  // in the original file (before any conversion to UTF-8)
  uint64_t line = 1;         // physical line, 1-based
  bool operator==(const CsvPosition&) const = default;
};

/// A record the reader could not split into fields. The reader skipped to the next record;
/// the import reports this one as a row error.
struct CsvRecordProblem {
  std::string code;     // "field_too_long", "record_too_long" or "bad_quote"
  std::string message;  // names the line and the column, e.g. "第 5 行第 3 列（C）：..."
  size_t column = 0;    // 0-based index of the offending field
  bool operator==(const CsvRecordProblem&) const = default;
};

struct CsvRecord {
  uint64_t line = 0;         // physical line where the record starts (the header is line 1)
  uint64_t byte_offset = 0;  // offset of its first byte in the original file
  std::optional<CsvRecordProblem> problem;  // when set, the record has no fields

  size_t size() const { return fields.size(); }
  std::string_view field(size_t i) const { return {data + fields[i].offset, fields[i].length}; }
  /// True for a row of empty cells, e.g. ",,,," which Excel writes for formatted blank rows.
  bool AllFieldsEmpty() const;

  // The reader's buffer and the fields in it; exposed so that batches can copy them whole.
  const char* data = nullptr;
  std::vector<CsvFieldSpan> fields;
};

inline bool CsvRecord::AllFieldsEmpty() const {
  for (const CsvFieldSpan& f : fields) {
    if (f.length != 0) return false;
  }
  return true;
}

}  // namespace nemis::importer
