#include "importer/roster_row.hpp"

#include "importer/student_columns.hpp"

namespace nemis::importer {

std::string RosterLayout::ColumnOf(registry::StudentField field) const {
  int index = mapping.field(field);
  if (index >= 0 && static_cast<size_t>(index) < headers.size())
    return headers[static_cast<size_t>(index)];
  return std::string(registry::FieldLabel(field));
}

Result<RosterLayout> ReadRosterHeader(CsvReader& reader) {
  CsvRecord header;
  if (!reader.Next(header)) {
    if (reader.error()) return *reader.error();
    return Error{ErrorKind::kInvalid,
                 "empty_file",
                 "文件为空：第 1 行应为表头（姓名、性别、出生日期……）",
                 {}};
  }
  if (header.problem)
    return Error{ErrorKind::kInvalid, header.problem->code, header.problem->message, {}};
  NEMIS_ASSIGN_OR_RETURN(auto mapping, MatchHeader(header, kStudentColumns));
  RosterLayout layout{std::move(mapping), {}};
  for (size_t i = 0; i < header.size(); ++i) layout.headers.emplace_back(header.field(i));
  return layout;
}

RowShape ReadStudentRow(const BatchRecord& record, const RosterLayout& layout,
                        registry::StudentInput& input, RowError& error) {
  if (const CsvRecordProblem* problem = record.problem()) {
    error = {record.line(), "", "", problem->code, problem->message};
    if (problem->column < layout.headers.size()) {
      error.column = layout.headers[problem->column];
      for (size_t f = 0; f < registry::kStudentFieldCount; ++f)
        if (layout.mapping.field_of[f] == static_cast<int>(problem->column))
          error.field = std::string(registry::kStudentFields[f].english);
    }
    return RowShape::kBroken;
  }
  bool blank = true;
  for (size_t i = 0; i < record.size() && blank; ++i) blank = record.field(i).empty();
  if (blank) return RowShape::kBlank;
  if (record.size() != layout.headers.size()) {
    error = {record.line(), "", "", "ragged_row",
             "第 " + std::to_string(record.line()) + " 行有 " + std::to_string(record.size()) +
                 " 列，表头有 " + std::to_string(layout.headers.size()) +
                 " 列（可能有未加引号的逗号或缺少单元格）"};
    return RowShape::kBroken;
  }
  input = {};
  for (size_t f = 0; f < registry::kStudentFieldCount; ++f) {
    int index = layout.mapping.field_of[f];
    if (index >= 0)
      input.Set(static_cast<registry::StudentField>(f), record.field(static_cast<size_t>(index)));
  }
  return RowShape::kData;
}

}  // namespace nemis::importer
