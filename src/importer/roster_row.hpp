// Reading a student roster's header and turning each record into a StudentInput,
// reporting rows whose shape is wrong (ragged, unreadable) with their line.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "importer/csv_batch.hpp"
#include "importer/csv_header.hpp"
#include "importer/csv_reader.hpp"
#include "importer/import_report.hpp"
#include "registry/student_input.hpp"

namespace nemis::importer {

struct RosterLayout {
  HeaderMapping mapping;
  std::vector<std::string> headers;  // the header cells as written
  /// The header text of a field's column, or its Chinese name when absent.
  std::string ColumnOf(registry::StudentField field) const;
};

/// Reads the header record. An empty file or a header that lacks required columns
/// (or repeats one) is an error naming them.
Result<RosterLayout> ReadRosterHeader(CsvReader& reader);

enum class RowShape { kData, kBlank, kBroken };

/// Fills `input` from a record. A blank row (all cells empty) is kBlank; a record
/// the reader could not split, or with a different number of cells than the
/// header, is kBroken with `error` set.
RowShape ReadStudentRow(const BatchRecord& record, const RosterLayout& layout,
                        registry::StudentInput& input, RowError& error);

}  // namespace nemis::importer
