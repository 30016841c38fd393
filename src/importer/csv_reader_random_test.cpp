// Round trip over random files: records made of awkward pieces (quotes, separators, every kind
// of line break, 4-byte characters) are written as CSV with random line ends, then read back in
// UTF-8, GB18030 and UTF-16 with random buffer sizes. Fields, lines and byte offsets must all
// come back exactly, and resuming at any record must give the same tail.
#include <gtest/gtest.h>

#include <random>

#include "importer/csv_reader.hpp"
#include "importer/csv_testing.hpp"
#include "testing/result_matchers.hpp"
#include "testing/temp_dir.hpp"

namespace nemis::importer {
namespace {

using testing::Row;

constexpr const char* kPieces[] = {"a", "7",  "王", "𠮷",   "·",  " ",
                                   ",", "\"", "\n", "\r\n", "\r", "\t"};
constexpr const char* kLineEnds[] = {"\n", "\r\n", "\r"};

std::string RandomField(std::mt19937& rng) {
  std::string field;
  const int pieces = static_cast<int>(rng() % 6);
  for (int i = 0; i < pieces; ++i) field += kPieces[rng() % std::size(kPieces)];
  return field;
}

std::string Encode(const std::string& field, std::mt19937& rng) {
  const bool must_quote = field.find_first_of(",\"\r\n") != std::string::npos;
  if (!must_quote && rng() % 4 != 0) return field;
  std::string quoted(1, '"');
  for (char c : field) {
    quoted.push_back(c);
    if (c == '"') quoted.push_back('"');
  }
  quoted.push_back('"');
  return quoted;
}

uint64_t LineBreaks(const std::string& text) {
  uint64_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++n;
  }
  return n;
}

struct RandomFile {
  std::string text;       // UTF-8
  std::vector<Row> rows;  // offsets into `text`
};

RandomFile MakeFile(std::mt19937& rng) {
  RandomFile file;
  uint64_t line = 1;
  const int records = 1 + static_cast<int>(rng() % 12);
  for (int r = 0; r < records; ++r) {
    Row row;
    const int fields = 1 + static_cast<int>(rng() % 5);
    std::string body;
    for (int f = 0; f < fields; ++f) {
      row.fields.push_back(RandomField(rng));
      if (f > 0) body += ",";
      body += Encode(row.fields.back(), rng);
    }
    if (body.empty()) {  // a lone empty field would be a blank line
      body.push_back('x');
      row.fields[0].push_back('x');
    }
    row.line = line;
    row.offset = file.text.size();
    file.rows.push_back(row);
    file.text += body;
    const bool last = r + 1 == records;
    if (!last || rng() % 2 == 0) file.text += kLineEnds[rng() % std::size(kLineEnds)];
    line += LineBreaks(body) + 1;
  }
  return file;
}

// The same rows with offsets counted in `encoded` bytes (prefix lengths after conversion).
std::vector<Row> Reencoded(const RandomFile& file, const char* to, size_t bom) {
  std::vector<Row> rows = file.rows;
  for (Row& row : rows) {
    row.offset = bom + testing::Convert(file.text.substr(0, row.offset), "UTF-8", to).size();
  }
  return rows;
}

std::vector<Row> ReadRows(const std::string& path, const CsvOptions& options, const Row* from) {
  auto reader = CsvReader::Open(path, options);
  EXPECT_OK(reader);
  if (from != nullptr) {
    EXPECT_OK((*reader)->SeekToRecord(from->offset, from->line));
  }
  std::vector<Row> rows;
  CsvRecord record;
  while ((*reader)->Next(record)) rows.push_back(testing::ToRow(record));
  EXPECT_EQ((*reader)->error(), nullptr) << (*reader)->error()->message;
  return rows;
}

TEST(CsvReaderRandomTest, RoundTripInEveryEncodingWithRandomBuffers) {
  nemis::testing::TempDir dir;
  std::mt19937 rng(4180);
  for (int round = 0; round < 300; ++round) {
    const RandomFile file = MakeFile(rng);
    struct Variant {
      std::string bytes;
      std::vector<Row> rows;
      TextEncoding encoding;
    };
    const Variant variants[] = {
        {file.text, file.rows, TextEncoding::kUtf8},
        {testing::Convert(file.text, "UTF-8", "GB18030"), Reencoded(file, "GB18030", 0),
         TextEncoding::kGb18030},
        {"\xFF\xFE" + testing::Convert(file.text, "UTF-8", "UTF-16LE"),
         Reencoded(file, "UTF-16LE", 2), TextEncoding::kAuto},
    };
    for (const Variant& v : variants) {
      const std::string path = dir.File("random.csv");
      testing::WriteFile(path, v.bytes);
      CsvOptions options;
      options.encoding = v.encoding;  // short GB18030 files may well be valid UTF-8
      options.separator = ',';        // and a first line with a tab and no comma is a TSV
      options.buffer_bytes = 1 + rng() % 24;
      ASSERT_EQ(ReadRows(path, options, nullptr), v.rows) << "round " << round << "\n" << file.text;
      const size_t k = rng() % v.rows.size();
      const std::vector<Row> tail(v.rows.begin() + static_cast<std::ptrdiff_t>(k), v.rows.end());
      ASSERT_EQ(ReadRows(path, options, &v.rows[k]), tail) << "round " << round << " from " << k;
    }
  }
}

}  // namespace
}  // namespace nemis::importer
