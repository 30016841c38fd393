// Matches a file's header row to the columns an import understands (students today, schools
// and staff later): header text in Chinese or English, in any order. Matching forgives what
// spreadsheets and people add: spaces anywhere ("姓  名"), a stray BOM, full-width letters,
// digits and parentheses ("监护人１姓名", "（"), English in any case, and the "*" that
// templates put on required columns.
#pragma once

#include <concepts>
#include <cstddef>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "importer/csv_record.hpp"

namespace nemis::importer {

/// One column a file may have.
struct HeaderColumn {
  std::string_view chinese;  // e.g. "姓名"
  std::string_view english;  // the API's field name, e.g. "name"
  bool required = false;
};

/// Anything shaped like a column spec (StudentColumnSpec and its future siblings).
template <class S>
concept HeaderSpec = requires(const S& s) {
  { s.chinese } -> std::convertible_to<std::string_view>;
  { s.english } -> std::convertible_to<std::string_view>;
  { s.required } -> std::convertible_to<bool>;
};

/// A header cell the import will not use. Not an error: the column is ignored.
struct HeaderWarning {
  size_t field = 0;     // 0-based field index
  std::string header;   // as written in the file
  std::string code;     // "unknown_column" or "empty_header"
  std::string message;  // e.g. "第 7 列（G）“备注”不是可导入的列，已忽略"
};

struct HeaderMapping {
  /// For each spec column, in spec order: its field index in every record, or -1 if absent.
  std::vector<int> field_of;
  std::vector<HeaderWarning> warnings;

  /// The field index for spec column `column` (an enum whose values are spec positions, like
  /// StudentColumn, or a plain index), -1 when the file lacks it.
  template <class E>
  int field(E column) const {
    return field_of[static_cast<size_t>(column)];
  }
  template <class E>
  bool has(E column) const {
    return field(column) >= 0;
  }
};

/// The key a header cell or a column name is compared by (see the file comment).
std::string NormalizeHeaderName(std::string_view text);

/// Maps the header cells to `columns`. Fails (kInvalid, code "bad_header") listing every
/// duplicated column with both positions and every missing required column with its Chinese
/// name; FieldError::field is the column's English name.
Result<HeaderMapping> MatchHeaderColumns(std::span<const std::string_view> header,
                                         std::span<const HeaderColumn> columns);

/// MatchHeaderColumns for a header record and any range of column specs.
template <std::ranges::input_range Specs>
requires HeaderSpec<std::ranges::range_value_t<Specs>> Result<HeaderMapping> MatchHeader(
    const CsvRecord& header, const Specs& specs) {
  std::vector<std::string_view> cells;
  cells.reserve(header.size());
  for (size_t i = 0; i < header.size(); ++i) cells.push_back(header.field(i));
  std::vector<HeaderColumn> columns;
  for (const auto& spec : specs) columns.push_back({spec.chinese, spec.english, spec.required});
  return MatchHeaderColumns(cells, columns);
}

}  // namespace nemis::importer
