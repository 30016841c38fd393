// Test helpers for the CSV reader tests: the committed corpus, temporary files, and reading a
// whole file into plain values that gtest can compare and print.
#pragma once

#include <iconv.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "importer/csv_reader.hpp"

namespace nemis::importer::testing {

/// A file of tests/data/import. The build names the folder (src/importer/CMakeLists.txt):
/// __FILE__ is no guide, since ccache compiles with paths relative to the checkout.
inline std::string CorpusPath(std::string_view name) {
  return (std::filesystem::path(NEMIS_IMPORT_TEST_DATA) / name).string();
}

inline void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// `text` converted with iconv (for making test inputs in other encodings).
inline std::string Convert(std::string_view text, const char* from, const char* to) {
  iconv_t cd = iconv_open(to, from);
  std::string out(text.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(text.data());
  size_t in_left = text.size();
  char* next = out.data();
  size_t out_left = out.size();
  iconv(cd, &in, &in_left, &next, &out_left);
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

struct Row {
  std::vector<std::string> fields;
  uint64_t line = 0;
  uint64_t offset = 0;
  std::string problem;  // the problem's code, empty when none
  bool operator==(const Row&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const Row& row) {
  os << "{line " << row.line << ", offset " << row.offset;
  if (!row.problem.empty()) os << ", problem " << row.problem;
  os << ", [";
  for (size_t i = 0; i < row.fields.size(); ++i) os << (i ? "|" : "") << row.fields[i];
  return os << "]}";
}

inline Row ToRow(const CsvRecord& record) {
  Row row{{}, record.line, record.byte_offset, record.problem ? record.problem->code : ""};
  for (size_t i = 0; i < record.size(); ++i) row.fields.emplace_back(record.field(i));
  return row;
}

struct ReadOutcome {
  std::vector<Row> rows;
  std::optional<Error> error;
  CsvErrorLocation location;
  std::vector<CsvRecordProblem> problems;
  CsvPosition end;
};

/// Reads every record of `path`; Open must succeed.
inline ReadOutcome ReadAll(const std::string& path, const CsvOptions& options = {}) {
  ReadOutcome out;
  auto reader = CsvReader::Open(path, options);
  if (!reader.ok()) {
    out.error = reader.error();
    return out;
  }
  CsvRecord record;
  while ((*reader)->Next(record)) {
    out.rows.push_back(ToRow(record));
    if (record.problem) out.problems.push_back(*record.problem);
  }
  if ((*reader)->error()) out.error = *(*reader)->error();
  out.location = (*reader)->error_location();
  out.end = (*reader)->position();
  return out;
}

}  // namespace nemis::importer::testing
