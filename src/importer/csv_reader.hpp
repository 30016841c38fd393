// A streaming RFC 4180 CSV reader for imports of millions of rows: UTF-8, GB18030 and UTF-16
// input (see encoding.hpp), comma or tab separated, quoted fields with "" escapes and line
// breaks, CRLF/LF/CR line ends. It reads 4 MiB at a time and parses in place: no allocation
// per field. Records carry their physical line and their byte offset in the original file,
// and the reader can restart at such an offset, so an import can resume after its last
// committed batch.
//
// What the reader reports: errors that end the file (bad encoding, an unterminated quote,
// I/O) through error(); problems confined to one record (a field over max_field_bytes, text
// after a closing quote) on the record itself, after which it goes on with the next record.
// Rows with more or fewer fields than the header are returned as they are: the import engine
// judges them. Blank lines are skipped.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "importer/csv_batch.hpp"
#include "importer/csv_record.hpp"
#include "importer/encoding.hpp"

namespace nemis::importer {

class ByteSource;
class TextDecoder;

struct CsvOptions {
  /// kAuto detects: BOM, else UTF-8 if the first 64 KiB are valid UTF-8, else GB18030.
  TextEncoding encoding = TextEncoding::kAuto;
  /// '\0': tab when the first line has tabs and no commas, else comma.
  char separator = '\0';
  /// Longer fields make their record a "field_too_long" problem (config import.max_field_bytes).
  size_t max_field_bytes = 64 * 1024;
  /// Longer records (all fields together) make it a "record_too_long" problem.
  size_t max_record_bytes = 8 * 1024 * 1024;
  /// Size of each read and of the initial buffer. Tests use a few bytes to put characters,
  /// quotes and line ends across buffer and conversion boundaries.
  size_t buffer_bytes = 4 * 1024 * 1024;
};

/// Where a fatal error happened.
struct CsvErrorLocation {
  uint64_t line = 0;
  uint64_t byte_offset = 0;  // in the original file
  size_t column = 0;         // 0-based; meaningful for unterminated_quote
};

class CsvReader {
 public:
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 const CsvOptions& options = {});
  /// Reads `fd` from where it stands (a spooled upload or a pipe); closes it if `take_ownership`.
  /// Resuming (SeekToRecord) needs a regular file, or a pipe going only forward.
  static Result<std::unique_ptr<CsvReader>> OpenFd(int fd, bool take_ownership,
                                                   const CsvOptions& options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// The next record; false at end of input or on a fatal error (then error() is set).
  /// `record`'s field views stay valid until the next call on this reader.
  bool Next(CsvRecord& record);

  /// Replaces `batch` with up to `max_records` records (stopping early once `max_bytes` of
  /// field data are held). Returns the count: 0 at end of input or on a fatal error. A fatal
  /// error also ends a batch early, keeping the whole records before it: check error().
  size_t ReadBatch(RecordBatch& batch, size_t max_records, size_t max_bytes = 64 << 20);

  /// Continues at the record starting at `byte_offset` (a CsvRecord::byte_offset or a batch's
  /// end(), e.g. saved by an earlier run) and numbers lines from `line`. Works for every
  /// encoding, since offsets count original bytes; checks on a regular file that the offset
  /// follows a line break. The separator stays the one found at Open.
  Status SeekToRecord(uint64_t byte_offset, uint64_t line);

  /// Where the record after the last one returned starts (the resume point after it).
  CsvPosition position() const { return {offset_, line_}; }

  const Error* error() const { return error_ ? &*error_ : nullptr; }
  const CsvErrorLocation& error_location() const { return error_location_; }

  /// Original bytes read so far (for progress), and the file size (0 when unknown: a pipe).
  uint64_t bytes_read() const;
  uint64_t total_bytes() const;
  TextEncoding encoding() const;
  char separator() const { return separator_; }

 private:
  enum class Step { kRecord, kNeedMore, kEnd, kTooLong, kFailed };

  // What the parse of one record noticed along the way.
  struct RecordScan {
    bool quoted = false;            // some field was quoted: it may hold line breaks
    int64_t bad_quote_column = -1;  // first field with text after its closing quote
  };

  // Skipping the rest of a record that broke a limit, byte by byte across refills.
  struct SkipState {
    CsvRecordProblem problem;
    uint64_t line = 0;  // where the record starts
    uint64_t byte_offset = 0;
    uint64_t lines_inside = 0;  // line breaks inside quotes so far
    size_t column = 0;
    bool field_start = true;
    bool in_quotes = false;
    bool quote_pending = false;  // in quotes, just saw '"': an escape or the closing quote
    bool cr_before = false;      // in quotes, the previous byte was CR
    bool cr_pending = false;     // outside quotes, a CR ended the buffer: CR LF or CR?
    uint64_t cr_decoded = 0;
    uint64_t quote_line = 0;  // where the open quote started
    size_t quote_column = 0;
  };

  CsvReader(std::unique_ptr<ByteSource> source, const CsvOptions& options);
  static Result<std::unique_ptr<CsvReader>> Start(std::unique_ptr<ByteSource> source,
                                                  const CsvOptions& options);
  void SetSeparator(char separator);
  void DetectSeparator();
  bool Refill();

  // csv_reader.cpp: parsing.
  Step SkipBlankLines();
  Step ParseRecord(CsvRecord& record);
  const char* FindClosingQuote(const char* open, const char* end, size_t& escapes) const;
  Step Cut(CsvRecord& record, const char* rec, const char* field, const char* line_break);
  Step QuotedFieldCut(CsvRecord& record, const char* rec, const char* field, size_t escapes);
  Step Complete(CsvRecord& record, const RecordScan& scan, const char* fields_end,
                const char* line_break);
  CsvRecordProblem RecordTooLong(const CsvRecord& record) const;
  size_t RecordLimitColumn(const CsvRecord& record) const;
  bool RecordLimitFirst(const char* rec, const char* field) const;
  void Unescape(CsvRecord& record);
  void ConsumeLineBreak(const char* line_break);
  uint64_t OriginalOffset(const char* line_break) const;
  uint64_t OriginalOffsetAt(uint64_t decoded) const;
  static uint64_t LinesIn(const char* begin, const char* end);

  // csv_reader_skip.cpp: records over a limit.
  Step StartSkip(CsvRecord& record, const char* rec, const char* field, const char* code,
                 size_t column);
  bool SkipRecord(CsvRecord& record);
  bool SkipBytes(const char*& p, const char* end);
  void FinishSkip(uint64_t line_break_decoded);
  Status CheckResumePoint(uint64_t byte_offset) const;

  // csv_reader_messages.cpp: errors in the user's terms.
  void FailWithDecodeError();
  void FailUnterminatedQuote(size_t column, uint64_t quote_line);
  static std::string LineColumn(uint64_t line, size_t column);
  std::string FieldTooLongMessage(uint64_t line, size_t column) const;
  std::string RecordTooLongMessage(uint64_t line, size_t column) const;

  std::unique_ptr<ByteSource> source_;
  std::unique_ptr<TextDecoder> decoder_;
  CsvOptions options_;
  char separator_ = ',';
  bool is_special_[256] = {};  // ends an unquoted field: separator, CR, LF

  std::unique_ptr<char[]> buf_;  // UTF-8; a sentinel LF follows the data at buf_[end_]
  size_t capacity_ = 0;
  size_t begin_ = 0;  // unparsed data is [begin_, end_)
  size_t end_ = 0;
  uint64_t buf_decoded_ = 0;  // UTF-8 stream position of buf_[0]
  bool eof_ = false;
  std::optional<uint64_t> identity_base_;  // original offset = stream position + base
  uint64_t data_start_ = 0;                // after the BOM

  uint64_t line_ = 1;              // physical line at begin_
  uint64_t offset_ = 0;            // original offset at begin_ when begin_ starts a line
  std::vector<uint32_t> escaped_;  // fields of the current record holding "" escapes
  std::optional<SkipState> skip_;

  std::optional<Error> error_;
  CsvErrorLocation error_location_;
  CsvRecord batch_record_;
};

}  // namespace nemis::importer
