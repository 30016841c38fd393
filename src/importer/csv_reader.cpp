#include "importer/csv_reader.hpp"

#include <algorithm>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "importer/csv_source.hpp"
#include "importer/encoding_decoder.hpp"

namespace nemis::importer {
namespace {

constexpr size_t kMinFree = 16;      // a decoder needs room for a whole character
constexpr size_t kPadding = 1 + 16;  // the sentinel, and room for a 16-byte load at it
constexpr size_t kSeparatorScanBytes = size_t{64} * 1024;
constexpr size_t kMaxBatchBytes = size_t{1} << 31;  // batch offsets are 32-bit

// Finds the byte that ends an unquoted field (separator, CR or LF). The buffer's sentinel LF
// guarantees a stop at the end of the data; the padding after it makes 16-byte loads safe.
class FieldEndFinder {
 public:
#ifdef __SSE2__
  explicit FieldEndFinder(char separator)
      : separator_(_mm_set1_epi8(separator)), lf_(_mm_set1_epi8('\n')), cr_(_mm_set1_epi8('\r')) {}
  const char* Find(const char* p) const {
    for (;;) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i hits =
          _mm_or_si128(_mm_cmpeq_epi8(v, separator_),
                       _mm_or_si128(_mm_cmpeq_epi8(v, lf_), _mm_cmpeq_epi8(v, cr_)));
      if (const int mask = _mm_movemask_epi8(hits); mask != 0) {
        return p + __builtin_ctz(static_cast<unsigned>(mask));
      }
      p += 16;
    }
  }

 private:
  __m128i separator_;
  __m128i lf_;
  __m128i cr_;
#else
  explicit FieldEndFinder(char separator) : separator_(separator) {}
  const char* Find(const char* p) const {
    while (*p != separator_ && *p != '\n' && *p != '\r') ++p;
    return p;
  }

 private:
  char separator_;
#endif
};

}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path,
                                                   const CsvOptions& options) {
  NEMIS_ASSIGN_OR_RETURN(auto source, ByteSource::OpenPath(path));
  return Start(std::move(source), options);
}

Result<std::unique_ptr<CsvReader>> CsvReader::OpenFd(int fd, bool take_ownership,
                                                     const CsvOptions& options) {
  return Start(std::make_unique<ByteSource>(fd, take_ownership), options);
}

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, const CsvOptions& options)
    : source_(std::move(source)), options_(options) {
  capacity_ = std::max(options_.buffer_bytes, 2 * kMinFree);
  buf_ = std::make_unique<char[]>(capacity_ + kPadding);
  buf_[0] = '\n';
}

CsvReader::~CsvReader() = default;

Result<std::unique_ptr<CsvReader>> CsvReader::Start(std::unique_ptr<ByteSource> source,
                                                    const CsvOptions& options) {
  NEMIS_ASSIGN_OR_RETURN(const std::string_view sample, source->PeekStart(kEncodingSampleBytes));
  NEMIS_ASSIGN_OR_RETURN(const DetectedEncoding detected, DetectEncoding(sample, options.encoding));
  std::unique_ptr<CsvReader> reader(new CsvReader(std::move(source), options));
  NEMIS_ASSIGN_OR_RETURN(reader->decoder_,
                         TextDecoder::Create(*reader->source_, detected, options.buffer_bytes));
  reader->data_start_ = detected.bom_bytes;
  reader->offset_ = detected.bom_bytes;
  reader->identity_base_ = reader->decoder_->identity_base();
  if (options.separator != '\0') {
    reader->SetSeparator(options.separator);
  } else {
    reader->DetectSeparator();
  }
  return reader;
}

void CsvReader::SetSeparator(char separator) {
  separator_ = separator;
  std::fill(std::begin(is_special_), std::end(is_special_), false);
  is_special_[static_cast<unsigned char>(separator)] = true;
  is_special_[static_cast<unsigned char>('\n')] = true;
  is_special_[static_cast<unsigned char>('\r')] = true;
}

// Excel's "Unicode text" and many hand-made files are tab separated: the header decides.
void CsvReader::DetectSeparator() {
  auto is_break = [](char c) { return c == '\n' || c == '\r'; };
  auto first_line_end = [&] {
    return std::find_if(buf_.get() + begin_, buf_.get() + end_, is_break);
  };
  while (first_line_end() == buf_.get() + end_ && end_ - begin_ < kSeparatorScanBytes) {
    if (!Refill()) break;
  }
  const char* first = buf_.get() + begin_;
  const char* last = first_line_end();
  const bool tabs = std::find(first, last, '\t') != last;
  const bool commas = std::find(first, last, ',') != last;
  SetSeparator(tabs && !commas ? '\t' : ',');
}

uint64_t CsvReader::bytes_read() const { return source_->position(); }

uint64_t CsvReader::total_bytes() const { return source_->size(); }

TextEncoding CsvReader::encoding() const { return decoder_->encoding(); }

// Moves the unparsed tail to the front, grows the buffer when the tail fills it, and appends
// one read. False at end of input or on a decoding failure (then error_ is set).
bool CsvReader::Refill() {
  if (eof_ || error_) return false;
  const size_t keep = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, keep);
    buf_decoded_ += begin_;
    begin_ = 0;
    end_ = keep;
  }
  if (capacity_ - end_ < kMinFree) {
    const size_t grown = std::max(capacity_ * 2, end_ + kMinFree);
    auto bigger = std::make_unique<char[]>(grown + kPadding);
    std::memcpy(bigger.get(), buf_.get(), end_);
    buf_ = std::move(bigger);
    capacity_ = grown;
  }
  const size_t got = decoder_->Read(buf_.get() + end_, capacity_ - end_);
  end_ += got;
  buf_[end_] = '\n';  // sentinel: stops the unquoted-field scan without a bounds check
  if (got > 0) return true;
  eof_ = true;
  if (decoder_->failure()) FailWithDecodeError();
  return false;
}

bool CsvReader::Next(CsvRecord& record) {
  while (!error_) {
    if (skip_) return SkipRecord(record);
    switch (ParseRecord(record)) {
      case Step::kRecord:
        return true;
      case Step::kNeedMore:
        Refill();  // at end of input eof_ is now set and parsing finishes what is left
        break;
      case Step::kTooLong:
        break;  // skip_ is set
      case Step::kEnd:
      case Step::kFailed:
        return false;
    }
  }
  return false;
}

size_t CsvReader::ReadBatch(RecordBatch& batch, size_t max_records, size_t max_bytes) {
  batch.Clear();
  max_bytes = std::min(max_bytes, kMaxBatchBytes);
  while (batch.size() < max_records && batch.storage_bytes() < max_bytes && Next(batch_record_)) {
    batch.Append(batch_record_);
  }
  batch.set_end(position());
  return batch.size();
}

CsvReader::Step CsvReader::SkipBlankLines() {
  for (;;) {
    const char* p = buf_.get() + begin_;
    const char* end = buf_.get() + end_;
    if (p == end) return eof_ ? Step::kEnd : Step::kNeedMore;
    if (*p != '\n' && *p != '\r') return Step::kRecord;
    if (*p == '\r') {
      if (p + 1 == end && !eof_) return Step::kNeedMore;  // CR LF may be cut here
      if (p + 1 < end && p[1] == '\n') ++p;
    }
    ConsumeLineBreak(p);
    begin_ = static_cast<size_t>(p + 1 - buf_.get());
  }
}

void CsvReader::ConsumeLineBreak(const char* line_break) {
  ++line_;
  offset_ = OriginalOffset(line_break);
}

uint64_t CsvReader::OriginalOffset(const char* line_break) const {
  const uint64_t decoded = buf_decoded_ + static_cast<uint64_t>(line_break - buf_.get());
  return OriginalOffsetAt(decoded);
}

uint64_t CsvReader::OriginalOffsetAt(uint64_t decoded) const {
  if (identity_base_) return *identity_base_ + decoded + 1;
  return decoder_->OffsetAfterLineBreak(decoded);
}

// Physical line breaks in [begin, end): LF, CR LF and a lone CR each count once.
uint64_t CsvReader::LinesIn(const char* begin, const char* end) {
  uint64_t lines = 0;
  for (const char* p = begin; p < end; ++p) {
    p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (p == nullptr) break;
    ++lines;
  }
  for (const char* p = begin; p < end; ++p) {
    p = static_cast<const char*>(std::memchr(p, '\r', static_cast<size_t>(end - p)));
    if (p == nullptr) break;
    if (p + 1 == end || p[1] != '\n') ++lines;
  }
  return lines;
}

// The hot loop. Parses the record at begin_ in place; if the buffer ends first, it gives up
// (kNeedMore) and parses the whole record again after the refill, so no parse state has to
// survive a refill. Only complete records are modified ("" unescaping), so re-parsing is safe.
CsvReader::Step CsvReader::ParseRecord(CsvRecord& record) {
  if (Step s = SkipBlankLines(); s != Step::kRecord) return s;
  const char* const rec = buf_.get() + begin_;
  const char* const end = buf_.get() + end_;
  const char* p = rec;
  record.fields.clear();
  escaped_.clear();
  RecordScan scan;
  const FieldEndFinder finder(separator_);
  for (;;) {
    const char* const field = p;
    const char* content = p;
    size_t length = 0;
    if (*p == '"') {
      scan.quoted = true;
      size_t escapes = 0;
      const char* close = FindClosingQuote(p, end, escapes);
      if (close == nullptr) return QuotedFieldCut(record, rec, field, escapes);
      if (escapes > 0) escaped_.push_back(static_cast<uint32_t>(record.fields.size()));
      ++content;
      length = static_cast<size_t>(close - content) - escapes;
      p = close + 1;
      if (!is_special_[static_cast<unsigned char>(*p)]) {  // text after the closing quote
        if (scan.bad_quote_column < 0)
          scan.bad_quote_column = static_cast<int64_t>(record.fields.size());
        p = finder.Find(p);
        length = static_cast<size_t>(p - content);
      }
    } else {
      p = finder.Find(p);
      length = static_cast<size_t>(p - content);
    }
    record.fields.push_back({static_cast<uint32_t>(content - rec), static_cast<uint32_t>(length)});
    if (length > options_.max_field_bytes) {
      if (RecordLimitFirst(rec, content)) {
        return StartSkip(record, rec, field, "record_too_long", RecordLimitColumn(record));
      }
      return StartSkip(record, rec, field, "field_too_long", record.fields.size() - 1);
    }
    if (p == end) {
      if (!eof_) return Cut(record, rec, field, nullptr);
      return Complete(record, scan, end, nullptr);
    }
    if (*p == separator_) {
      if (++p == end) {
        if (!eof_) return Cut(record, rec, p, nullptr);
        record.fields.push_back({static_cast<uint32_t>(p - rec), 0});
        return Complete(record, scan, end, nullptr);
      }
      continue;
    }
    const char* const fields_end = p;
    if (*p == '\r') {
      if (p + 1 == end && !eof_) return Cut(record, rec, p, p);
      if (p + 1 < end && p[1] == '\n') ++p;
    }
    return Complete(record, scan, fields_end, p);
  }
}

// The closing quote of the field opening at `open`, counting "" escapes on the way; null when
// the buffer ends first (a quote as the last byte may be half of a "", so it needs more too).
const char* CsvReader::FindClosingQuote(const char* open, const char* end, size_t& escapes) const {
  const char* q = open + 1;
  for (;;) {
    q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
    if (q == nullptr || (q + 1 == end && !eof_)) return nullptr;
    if (q + 1 == end || q[1] != '"') return q;
    ++escapes;
    q += 2;
  }
}

// The buffer ended inside the record (inside the field at `field`, or between the CR and the
// LF of `line_break`). Ask for more, unless the record is already over max_record_bytes: then
// name the field that crossed it, as a record read whole would. (The field limit is not
// checked here: ParseRecord has checked the field's content so far, and counting from `field`
// would count the opening quote of a field with text after its closing quote.)
CsvReader::Step CsvReader::Cut(CsvRecord& record, const char* rec, const char* field,
                               const char* line_break) {
  const char* fields_end = line_break != nullptr ? line_break : buf_.get() + end_;
  if (static_cast<size_t>(fields_end - rec) <= options_.max_record_bytes) return Step::kNeedMore;
  size_t column = RecordLimitColumn(record);
  // All fields are read: the limit falls in the last one's closing quote (as in Complete).
  if (line_break != nullptr) column = std::min(column, record.fields.size() - 1);
  return StartSkip(record, rec, field, "record_too_long", column);
}

// As Cut, inside a quoted field. Its raw length may be up to twice its length ("" escapes),
// so only a raw length that cannot fit is too long yet.
CsvReader::Step CsvReader::QuotedFieldCut(CsvRecord& record, const char* rec, const char* field,
                                          size_t escapes) {
  const char* end = buf_.get() + end_;
  if (eof_) {
    FailUnterminatedQuote(record.fields.size(), line_ + LinesIn(rec, field));
    return Step::kFailed;
  }
  const size_t raw = static_cast<size_t>(end - field) - 1;
  const bool field_over = raw - escapes > options_.max_field_bytes + 1;  // "" may be cut in two
  const bool record_over = static_cast<size_t>(end - rec) > options_.max_record_bytes;
  if (field_over && !(record_over && RecordLimitFirst(rec, field + 1))) {
    return StartSkip(record, rec, field, "field_too_long", record.fields.size());
  }
  if (record_over) {
    return StartSkip(record, rec, field, "record_too_long", RecordLimitColumn(record));
  }
  return Step::kNeedMore;
}

CsvReader::Step CsvReader::Complete(CsvRecord& record, const RecordScan& scan,
                                    const char* fields_end, const char* line_break) {
  const char* rec = buf_.get() + begin_;
  record.data = rec;
  record.line = line_;
  record.byte_offset = offset_;
  record.problem.reset();
  if (scan.quoted) line_ += LinesIn(rec, fields_end);
  if (static_cast<size_t>(fields_end - rec) > options_.max_record_bytes) {
    record.problem = RecordTooLong(record);
    record.fields.clear();
  } else if (scan.bad_quote_column >= 0) {
    const auto column = static_cast<size_t>(scan.bad_quote_column);
    record.problem = CsvRecordProblem{
        "bad_quote",
        LineColumn(record.line, column) +
            "：右引号后还有其他字符。整个字段应放在一对引号内，引号内的引号要写成两个（\"\"）",
        column};
    record.fields.clear();
  } else if (!escaped_.empty()) {
    Unescape(record);
  }
  if (line_break != nullptr) {
    ConsumeLineBreak(line_break);
    begin_ = static_cast<size_t>(line_break + 1 - buf_.get());
  } else {
    offset_ = decoder_->end_offset();
    begin_ = end_;
  }
  return Step::kRecord;
}

// A record that fitted in the buffer but is over max_record_bytes: name the field that crosses
// the limit, as a record cut by the buffer end would.
CsvRecordProblem CsvReader::RecordTooLong(const CsvRecord& record) const {
  const size_t column = std::min(RecordLimitColumn(record), record.fields.size() - 1);
  return {"record_too_long", RecordTooLongMessage(record.line, column), column};
}

// The first field of `record` that ends past max_record_bytes; fields.size() when none does
// yet (the record crosses the limit in the field still being read).
size_t CsvReader::RecordLimitColumn(const CsvRecord& record) const {
  size_t column = 0;
  while (column < record.fields.size() &&
         size_t{record.fields[column].offset} + record.fields[column].length <=
             options_.max_record_bytes) {
    ++column;
  }
  return column;
}

// Whether a record over both limits crossed max_record_bytes before the field whose content
// starts at `content` crossed max_field_bytes: the problem reported is the limit crossed first
// (whatever the buffer size), the field's on a tie.
bool CsvReader::RecordLimitFirst(const char* rec, const char* content) const {
  return options_.max_record_bytes < static_cast<size_t>(content - rec) + options_.max_field_bytes;
}

// Turns "" into " in place; the field's bytes only shrink.
void CsvReader::Unescape(CsvRecord& record) {
  char* rec = buf_.get() + begin_;
  for (uint32_t index : escaped_) {
    CsvFieldSpan& f = record.fields[index];
    char* out = rec + f.offset;
    const char* in = out;
    char* const start = out;
    while (static_cast<size_t>(out - start) < f.length) {
      const char c = *in++;
      *out++ = c;
      if (c == '"') ++in;
    }
  }
}

}  // namespace nemis::importer
