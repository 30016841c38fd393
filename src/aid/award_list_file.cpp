#include "aid/award_list_file.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "aid/award_fields.hpp"
#include "base/text.hpp"
#include "importer/csv_header.hpp"
#include "importer/csv_reader.hpp"

namespace nemis::aid {
namespace {

enum class Column { kNumber, kName, kProgramme, kYear, kAmount };

constexpr std::array<importer::HeaderColumn, 5> kColumns = {{
    {"学籍号", "studentNumber", true},
    {"姓名", "name", true},
    {"资助项目", "programme", true},
    {"学年", "schoolYear", true},
    {"金额", "amount", true},
}};

std::string ColumnName(Column c) { return std::string(kColumns[static_cast<size_t>(c)].chinese); }

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

std::string ProgrammeChoices() {
  std::string out;
  for (const AidProgramme& p : AllAidProgrammes())
    out += (out.empty() ? "" : "、") + std::string(p.code) + " " + std::string(p.name);
  return out;
}

class RowReader {
 public:
  RowReader(const importer::HeaderMapping& mapping, size_t columns, const AwardListOptions& options,
            AwardErrors& errors)
      : mapping_(mapping),
        columns_(columns),
        latest_year_(SchoolYearOf(options.today) + 1),
        errors_(errors) {}

  // The row, or nothing when a field of it is wrong (each wrong field reported).
  std::optional<ListedRow> Read(const importer::CsvRecord& record) {
    // An unquoted "1,000" would otherwise be read as 1 元.
    if (record.size() != columns_) {
      errors_.Add(record.line, "",
                  "有 " + std::to_string(record.size()) + " 列，表头有 " +
                      std::to_string(columns_) + " 列（可能有未加引号的逗号或缺少单元格）");
      return std::nullopt;
    }
    ListedRow row;
    row.line = record.line;
    bool ok = true;
    auto fail = [&](Column c, std::string message) {
      errors_.Add(record.line, ColumnName(c), std::move(message));
      ok = false;
    };
    row.number = Upper(Field(record, Column::kNumber));
    if (row.number.empty()) fail(Column::kNumber, "必填");
    row.name = std::string(Field(record, Column::kName));
    if (row.name.empty()) fail(Column::kName, "必填");
    const std::string_view programme = Field(record, Column::kProgramme);
    if (!(row.programme = FindAidProgramme(programme)))
      fail(Column::kProgramme,
           "“" + std::string(programme) + "”不是资助项目，应为：" + ProgrammeChoices());
    const std::string_view year = Field(record, Column::kYear);
    if (auto parsed = ParseSchoolYear(year); !parsed || *parsed < 2000)
      fail(Column::kYear, "“" + std::string(year) + "”不是学年，应写作 2026 或 2026-2027");
    else if (*parsed > latest_year_)
      fail(Column::kYear, "学年 " + std::to_string(*parsed) + " 尚未开始（最晚 " +
                              std::to_string(latest_year_) + " 学年）");
    else
      row.school_year = *parsed;
    const std::string_view amount = Field(record, Column::kAmount);
    if (auto fen = ParseYuan(amount))
      row.amount_fen = *fen;
    else
      fail(Column::kAmount,
           "“" + std::string(amount) +
               "”不是金额：以元为单位、最多两位小数、大于 0，例如 1500 或 1500.00");
    if (!ok) return std::nullopt;
    return row;
  }

 private:
  std::string_view Field(const importer::CsvRecord& record, Column c) const {
    const int index = mapping_.field(c);
    if (index < 0 || static_cast<size_t>(index) >= record.size()) return {};
    return TrimSpaces(record.field(static_cast<size_t>(index)));
  }

  const importer::HeaderMapping& mapping_;
  size_t columns_;
  int latest_year_;
  AwardErrors& errors_;
};

struct Header {
  importer::HeaderMapping mapping;
  size_t columns = 0;
};

Result<Header> ReadHeader(importer::CsvReader& reader) {
  importer::CsvRecord header;
  if (!reader.Next(header)) {
    if (reader.error()) return *reader.error();
    return Error::BadRequest("empty_file",
                             "文件为空：第 1 行应为表头（学籍号、姓名、资助项目、学年、金额）");
  }
  if (header.problem)
    return Error{ErrorKind::kInvalid, header.problem->code, header.problem->message, {}};
  NEMIS_ASSIGN_OR_RETURN(auto mapping, importer::MatchHeader(header, kColumns));
  return Header{std::move(mapping), header.size()};
}

}  // namespace

void AwardErrors::Add(uint64_t line, std::string column, std::string message) {
  if (errors_.size() >= max_) {
    more_ = true;
    return;
  }
  errors_.push_back({line, std::move(column), std::move(message)});
}

void AwardErrors::Into(AwardListReport& report) {
  // Found in two passes (the file, then the registry): told in the file's order.
  std::stable_sort(errors_.begin(), errors_.end(),
                   [](const AwardRowError& a, const AwardRowError& b) { return a.line < b.line; });
  report.errors = std::move(errors_);
  report.more_errors = more_;
  errors_.clear();
}

Result<std::vector<ListedRow>> ReadAwardListFile(const std::string& path,
                                                 const AwardListOptions& options,
                                                 AwardErrors& errors, int64_t& rows_read) {
  NEMIS_ASSIGN_OR_RETURN(auto reader, importer::CsvReader::Open(path));
  NEMIS_ASSIGN_OR_RETURN(const Header header, ReadHeader(*reader));
  RowReader row_reader(header.mapping, header.columns, options, errors);
  std::vector<ListedRow> rows;
  // Student, programme, year → the line that listed it first.
  std::map<std::tuple<std::string, std::string_view, int>, uint64_t> first;
  importer::CsvRecord record;
  while (reader->Next(record)) {
    if (!record.problem && record.AllFieldsEmpty()) continue;
    if (static_cast<size_t>(++rows_read) > options.max_rows)
      return Error::BadRequest("too_many_rows", "名单超过 " + std::to_string(options.max_rows) +
                                                    " 行：请按学校或区县分成几个文件");
    if (record.problem) {
      errors.Add(record.line, "", record.problem->message);
      continue;
    }
    auto row = row_reader.Read(record);
    if (!row) continue;
    auto [at, added] =
        first.try_emplace({row->number, row->programme->code, row->school_year}, row->line);
    if (!added) {
      errors.Add(row->line, "",
                 "与第 " + std::to_string(at->second) +
                     " 行重复：同一学生、同一资助项目、同一学年只能列一次");
      continue;
    }
    rows.push_back(std::move(*row));
  }
  if (reader->error()) return *reader->error();
  return rows;
}

}  // namespace nemis::aid
