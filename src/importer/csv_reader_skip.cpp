// The reader's slow paths: skipping the rest of a record that broke a size limit (so that a
// 10 MB field costs one row error, not the buffer memory or the import), and restarting at a
// saved record offset.
#include <string>

#include "importer/csv_reader.hpp"
#include "importer/csv_source.hpp"
#include "importer/encoding_decoder.hpp"

namespace nemis::importer {

CsvReader::Step CsvReader::StartSkip(CsvRecord& record, const char* rec, const char* field,
                                     const char* code, size_t column) {
  SkipState s;
  s.line = line_;
  s.byte_offset = offset_;
  s.lines_inside = LinesIn(rec, field);
  // The scan counts fields from the one at `field`: those before it start before it (a
  // record crossing max_record_bytes may name an earlier `column`).
  const auto at = static_cast<size_t>(field - rec);
  while (s.column < record.fields.size() && record.fields[s.column].offset < at) ++s.column;
  if (std::string_view(code) == "field_too_long") {
    s.problem = {code, FieldTooLongMessage(line_, column), column};
  } else {
    s.problem = {code, RecordTooLongMessage(line_, column), column};
  }
  // Scan again from the start of the offending field: it starts outside quotes.
  begin_ = static_cast<size_t>(field - buf_.get());
  skip_ = std::move(s);
  record.fields.clear();
  return Step::kTooLong;
}

bool CsvReader::SkipRecord(CsvRecord& record) {
  for (;;) {
    const char* p = buf_.get() + begin_;
    const bool ended = SkipBytes(p, buf_.get() + end_);
    begin_ = static_cast<size_t>(p - buf_.get());
    if (ended) break;
    if (Refill()) continue;
    if (error_) return false;
    if (skip_->cr_pending) {
      FinishSkip(skip_->cr_decoded);
    } else if (skip_->in_quotes && !skip_->quote_pending) {
      FailUnterminatedQuote(skip_->quote_column, skip_->quote_line);
      return false;
    } else {
      line_ = skip_->line + skip_->lines_inside;
      offset_ = decoder_->end_offset();
    }
    break;
  }
  record.line = skip_->line;
  record.byte_offset = skip_->byte_offset;
  record.problem = std::move(skip_->problem);
  record.fields.clear();
  record.data = nullptr;
  skip_.reset();
  return true;
}

// Follows quotes and line breaks byte by byte until the record ends; true when it did
// (`p` is then just past the record).
bool CsvReader::SkipBytes(const char*& p, const char* end) {
  SkipState& s = *skip_;
  auto decoded = [this](const char* at) {
    return buf_decoded_ + static_cast<uint64_t>(at - buf_.get());
  };
  if (s.cr_pending) {  // the previous buffer ended with a CR outside quotes
    s.cr_pending = false;
    if (p < end && *p == '\n') {
      FinishSkip(decoded(p++));
    } else {
      FinishSkip(s.cr_decoded);
    }
    return true;
  }
  while (p < end) {
    const char c = *p;
    if (s.in_quotes) {
      if (s.quote_pending) {
        s.quote_pending = false;
        if (c != '"') {  // that was the closing quote: look at c again outside quotes
          s.in_quotes = false;
          s.field_start = false;
          continue;
        }
      } else if (c == '"') {
        s.quote_pending = true;
      } else if (c == '\r' || (c == '\n' && !s.cr_before)) {
        ++s.lines_inside;
      }
      s.cr_before = c == '\r';
      ++p;
      continue;
    }
    if (c == '\n') {
      FinishSkip(decoded(p++));
      return true;
    }
    if (c == '\r') {
      if (p + 1 < end || eof_) {
        if (p + 1 < end && p[1] == '\n') ++p;
        FinishSkip(decoded(p++));
        return true;
      }
      s.cr_pending = true;
      s.cr_decoded = decoded(p++);
      return false;
    }
    if (c == '"' && s.field_start) {
      s.in_quotes = true;
      s.cr_before = false;
      s.quote_line = s.line + s.lines_inside;
      s.quote_column = s.column;
    }
    s.field_start = c == separator_;
    if (s.field_start) ++s.column;
    ++p;
  }
  return false;
}

void CsvReader::FinishSkip(uint64_t line_break_decoded) {
  line_ = skip_->line + skip_->lines_inside + 1;
  offset_ = OriginalOffsetAt(line_break_decoded);
}

Status CsvReader::SeekToRecord(uint64_t byte_offset, uint64_t line) {
  NEMIS_TRY(CheckResumePoint(byte_offset));
  NEMIS_TRY(decoder_->Seek(byte_offset));
  identity_base_ = decoder_->identity_base();
  begin_ = end_ = 0;
  buf_decoded_ = 0;
  buf_[0] = '\n';
  eof_ = false;
  skip_.reset();
  error_.reset();
  error_location_ = {};
  line_ = line;
  offset_ = byte_offset;
  return {};
}

// A resume point must follow a line break (checked on files; a pipe cannot look back).
Status CsvReader::CheckResumePoint(uint64_t byte_offset) const {
  auto refuse = [byte_offset](const std::string& why) {
    return Error::BadRequest("bad_resume_point",
                             "续传位置 " + std::to_string(byte_offset) + " 不是记录的开头：" + why);
  };
  if (byte_offset < data_start_) return refuse("位于文件开头的 BOM 之内");
  if (source_->size() > 0 && byte_offset > source_->size()) {
    return refuse("超出文件末尾（文件共 " + std::to_string(source_->size()) + " 字节）");
  }
  if (byte_offset == data_start_ || !source_->seekable()) return {};
  const TextEncoding enc = decoder_->encoding();
  const bool utf16 = enc == TextEncoding::kUtf16Le || enc == TextEncoding::kUtf16Be;
  const size_t unit = utf16 ? 2 : 1;
  if (byte_offset < data_start_ + unit) return refuse("位于第一个字符之内");
  NEMIS_ASSIGN_OR_RETURN(const std::string around, source_->ReadAt(byte_offset - unit, 2 * unit));
  auto unit_is = [&](size_t at, char c) {
    if (at + unit > around.size()) return false;
    if (!utf16) return around[at] == c;
    const bool le = enc == TextEncoding::kUtf16Le;
    return around[at + (le ? 0 : 1)] == c && around[at + (le ? 1 : 0)] == '\0';
  };
  const bool after_lf = unit_is(0, '\n');
  const bool after_cr = unit_is(0, '\r');
  if (!after_lf && !after_cr) return refuse("前面不是换行符");
  if (after_cr && unit_is(unit, '\n')) return refuse("位于 CR 和 LF 之间");
  return {};
}

}  // namespace nemis::importer
