// The reader's fatal errors, worded for the school clerk who has to fix the file: which
// line, which column, which bytes, and what to do about it.
#include <cstdio>
#include <string>

#include "importer/csv_reader.hpp"
#include "importer/encoding_decoder.hpp"

namespace nemis::importer {
namespace {

// "A", ..., "Z", "AA", ...: the column letters the user sees in Excel or WPS.
std::string SpreadsheetColumn(size_t column) {
  std::string letters;
  for (size_t n = column + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters;
}

std::string HexBytes(const std::string& bytes) {
  std::string out;
  for (unsigned char b : bytes) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%s0x%02X", out.empty() ? "" : " ", b);
    out += hex;
  }
  return out;
}

std::string DisplayName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kGb18030:
      return "GB18030";
    case TextEncoding::kUtf16Le:
    case TextEncoding::kUtf16Be:
      return "UTF-16";
    default:
      return "UTF-8";
  }
}

Error InvalidFile(std::string code, std::string message) {
  return Error{ErrorKind::kInvalid, std::move(code), std::move(message), {}};
}

}  // namespace

std::string CsvReader::LineColumn(uint64_t line, size_t column) {
  return "第 " + std::to_string(line) + " 行第 " + std::to_string(column + 1) + " 列（" +
         SpreadsheetColumn(column) + "）";
}

std::string CsvReader::FieldTooLongMessage(uint64_t line, size_t column) const {
  return LineColumn(line, column) + "：字段超过 " + std::to_string(options_.max_field_bytes) +
         " 字节，该行未导入";
}

std::string CsvReader::RecordTooLongMessage(uint64_t line, size_t column) const {
  return LineColumn(line, column) + "：整行超过 " + std::to_string(options_.max_record_bytes) +
         " 字节，该行未导入";
}

void CsvReader::FailWithDecodeError() {
  const DecodeFailure& f = *decoder_->failure();
  // Everything before the failure has been parsed; count the line breaks still pending.
  uint64_t line = line_ + LinesIn(buf_.get() + begin_, buf_.get() + end_);
  if (skip_) line = skip_->line + skip_->lines_inside + (skip_->cr_pending ? 1 : 0);
  error_location_ = {line, f.offset, 0};
  const std::string where =
      "第 " + std::to_string(line) + " 行（字节偏移 " + std::to_string(f.offset) + "）";
  const std::string encoding = DisplayName(decoder_->encoding());
  switch (f.kind) {
    case DecodeFailure::Kind::kInvalid: {
      std::string message =
          where + "不是有效的 " + encoding + " 编码（" + HexBytes(f.bytes) + "）。";
      if (decoder_->encoding() == TextEncoding::kUtf8) {
        message +=
            "如果文件是 Excel 另存的“CSV（逗号分隔）”，它用的是 GB18030（GBK）编码：请把编码选为 "
            "GB18030 后重新导入，或在 Excel 中另存为“CSV UTF-8（逗号分隔）”。";
      }
      error_ = InvalidFile("invalid_encoding", std::move(message));
      break;
    }
    case DecodeFailure::Kind::kTruncated:
      error_ = InvalidFile("truncated_file", where + "：文件结束于一个不完整的 " + encoding +
                                                 " 字符，可能没有传完整。");
      break;
    case DecodeFailure::Kind::kIo:
      error_ = Error::Internal(f.message);
      error_->code = "io_error";
      break;
  }
}

void CsvReader::FailUnterminatedQuote(size_t column, uint64_t quote_line) {
  error_location_ = {quote_line, offset_, column};
  error_ =
      InvalidFile("unterminated_quote", LineColumn(quote_line, column) +
                                            "的引号没有闭合：从这个引号起到文件末尾都成了一个字段。"
                                            "引号要成对出现，字段内的引号要写成两个（\"\"）。");
}

}  // namespace nemis::importer
