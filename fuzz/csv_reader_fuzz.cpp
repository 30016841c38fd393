// The CSV reader of imports (src/importer/csv_reader.hpp) on a whole file: the input is the
// file's bytes (UTF-8, GB18030 or UTF-16 with a BOM; encoding and separator detected as
// nemis import does). Besides ASan/UBSan it checks what csv_reader_random_test checks on
// generated files, here on any bytes:
// - the same records, problems, fatal error and its location come out whatever the buffer
//   size (a large buffer against 1-24 bytes, which cuts characters, quotes and CRLF);
// - reading in batches (ReadBatch) gives the same records as reading one by one;
// - resuming at a record (SeekToRecord with its offset and line) gives the same tail;
// - every field handed out is valid UTF-8.
#include <optional>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "importer/csv_reader.hpp"
#include "memfd_file.hpp"

namespace nemis::fuzz {
namespace {

using importer::CsvOptions;
using importer::CsvReader;
using importer::CsvRecord;

struct Row {
  std::vector<std::string> fields;
  uint64_t line = 0;
  uint64_t offset = 0;
  std::string problem;  // code:column
  bool operator==(const Row&) const = default;
};

// Where the buffer ends must not change a record's problem. Two known exceptions (open, see
// bench/RESULTS.md "Fuzzing"), both about quoted fields with "" escapes, whose raw length
// the reader estimates from the unescaped content: which limit a record over both limits
// crossed first, and the column a record_too_long names. So the code is compared without
// the column for record_too_long, and field_too_long and record_too_long are one when both
// limits are small.
bool g_both_limits = false;

std::string ProblemOf(const std::optional<importer::CsvRecordProblem>& p) {
  if (!p) return "";
  if (g_both_limits && (p->code == "field_too_long" || p->code == "record_too_long")) {
    return "too_long";
  }
  if (p->code == "record_too_long") return p->code;
  return p->code + ":" + std::to_string(p->column);
}

struct Outcome {
  bool opened = false;
  std::vector<Row> rows;
  std::string error;  // the fatal error's code
  importer::CsvErrorLocation location;
  importer::CsvPosition end;
  bool operator==(const Outcome& o) const {
    // After a fatal error the position may or may not be past blank lines before it.
    return opened == o.opened && rows == o.rows && error == o.error &&
           (end == o.end || !error.empty()) && location.line == o.location.line &&
           location.byte_offset == o.location.byte_offset && location.column == o.location.column;
  }
};

// For the report of a finding: both outcomes, one line per record.
void Print(const char* what, const Outcome& o) {
  std::fprintf(stderr,
               "%s: opened %d, error '%s' at line %llu offset %llu column %zu, end %llu/%llu\n",
               what, o.opened, o.error.c_str(), static_cast<unsigned long long>(o.location.line),
               static_cast<unsigned long long>(o.location.byte_offset), o.location.column,
               static_cast<unsigned long long>(o.end.byte_offset),
               static_cast<unsigned long long>(o.end.line));
  for (const Row& r : o.rows) {
    std::fprintf(stderr, "  line %llu offset %llu %s [", static_cast<unsigned long long>(r.line),
                 static_cast<unsigned long long>(r.offset), r.problem.c_str());
    for (size_t i = 0; i < r.fields.size(); ++i)
      std::fprintf(stderr, "%s%s", i ? "|" : "", r.fields[i].c_str());
    std::fprintf(stderr, "]\n");
  }
}

// Open (bench/RESULTS.md "Fuzzing"): when decoding fails just after a record ended by a lone
// CR, that record is returned only if the CR was not the last byte decoded (the reader cannot
// tell CR from CR LF there, and stops at the failure), which depends on the buffer. So before
// a decoding failure one outcome may hold one record more.
bool SameUpToTheRecordBeforeADecodingFailure(const Outcome& a, const Outcome& b) {
  if (a.error != b.error || (a.error != "invalid_encoding" && a.error != "truncated_file")) {
    return false;
  }
  const Outcome& shorter = a.rows.size() < b.rows.size() ? a : b;
  const Outcome& longer = a.rows.size() < b.rows.size() ? b : a;
  if (longer.rows.size() != shorter.rows.size() + 1) return false;
  Outcome trimmed = longer;
  trimmed.rows.pop_back();
  trimmed.end = shorter.end;
  return trimmed == shorter;
}

void ExpectSame(const Outcome& got, const Outcome& want, const char* what) {
  if (got == want || SameUpToTheRecordBeforeADecodingFailure(got, want)) return;
  Print("expected", want);
  Print("got", got);
  FUZZ_CHECK(false, what);
}

Row ToRow(const CsvRecord& r) {
  Row row{{}, r.line, r.byte_offset, ProblemOf(r.problem)};
  for (size_t i = 0; i < r.size(); ++i) row.fields.emplace_back(r.field(i));
  return row;
}

void Finish(const CsvReader& reader, Outcome& out) {
  if (reader.error()) out.error = reader.error()->code;
  out.location = reader.error_location();
  out.end = reader.position();
}

Outcome ReadOneByOne(MemFile& file, const CsvOptions& options, const Row* from = nullptr) {
  Outcome out;
  auto reader = CsvReader::OpenFd(file.Rewind(), false, options);
  if (!reader.ok()) return out;
  out.opened = true;
  if (from && !(*reader)->SeekToRecord(from->offset, from->line).ok()) {
    out.error = "seek_refused";
    return out;
  }
  CsvRecord record;
  while ((*reader)->Next(record)) out.rows.push_back(ToRow(record));
  Finish(**reader, out);
  return out;
}

Outcome ReadInBatches(MemFile& file, const CsvOptions& options, size_t per_batch) {
  Outcome out;
  auto reader = CsvReader::OpenFd(file.Rewind(), false, options);
  if (!reader.ok()) return out;
  out.opened = true;
  importer::RecordBatch batch;
  while ((*reader)->ReadBatch(batch, per_batch) > 0) {
    for (size_t i = 0; i < batch.size(); ++i) {
      importer::BatchRecord r = batch.record(i);
      Row row{{},
              r.line(),
              r.byte_offset(),
              ProblemOf(r.problem() ? std::optional(*r.problem()) : std::nullopt)};
      for (size_t f = 0; f < r.size(); ++f) row.fields.emplace_back(r.field(f));
      out.rows.push_back(std::move(row));
    }
    FUZZ_CHECK(batch.end() == (*reader)->position(), "batch end is not the reader's position");
  }
  Finish(**reader, out);
  return out;
}

}  // namespace
}  // namespace nemis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nemis;
  static fuzz::MemFile file;
  std::string_view bytes = fuzz::AsText(data, size);
  file.Fill(bytes);
  const uint32_t mix = fuzz::Mix(bytes);

  importer::CsvOptions options;
  options.buffer_bytes = 64 * 1024;
  if (mix & 1) options.max_field_bytes = 4 + (mix >> 8) % 60;  // records over the limits too
  if (mix & 2) options.max_record_bytes = 8 + (mix >> 16) % 200;
  if ((mix & 12) == 4) options.encoding = importer::TextEncoding::kGb18030;
  fuzz::g_both_limits = (mix & 3) == 3;
  const fuzz::Outcome whole = fuzz::ReadOneByOne(file, options);
  for (const fuzz::Row& row : whole.rows)
    for (const std::string& field : row.fields)
      FUZZ_CHECK(fuzz::ReferenceUtf8(field), "a field that is not UTF-8");

  importer::CsvOptions small = options;
  small.buffer_bytes = 1 + (mix >> 4) % 24;
  fuzz::ExpectSame(fuzz::ReadOneByOne(file, small), whole, "a small buffer reads differently");
  fuzz::ExpectSame(fuzz::ReadInBatches(file, small, 1 + mix % 3), whole,
                   "reading in batches differs from reading one by one");

  if (!whole.rows.empty()) {
    const size_t k = (mix >> 12) % whole.rows.size();
    fuzz::Outcome tail = fuzz::ReadOneByOne(file, small, &whole.rows[k]);
    fuzz::Outcome expected = whole;
    expected.rows.erase(expected.rows.begin(),
                        expected.rows.begin() + static_cast<std::ptrdiff_t>(k));
    fuzz::ExpectSame(tail, expected, "resuming at a record gives a different tail");
  }
  return 0;
}
