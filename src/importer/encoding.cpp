#include "importer/encoding.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "importer/encoding_utf8.hpp"

namespace nemis::importer {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";
constexpr std::string_view kGb18030Bom = "\x84\x31\x95\x33";
constexpr std::string_view kZipMagic = "PK\x03\x04";
constexpr std::string_view kOle2Magic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

Error Refuse(std::string code, std::string message) {
  Error e = Error::BadRequest(std::move(code), std::move(message));
  e.kind = ErrorKind::kInvalid;
  return e;
}

// A character cut by the end of the sample counts as valid: the sample boundary may fall
// inside it. Even when the file ends there, calling it UTF-8 is better than decoding it as
// GB18030 (which accepts almost any byte pair): the reader then reports the cut character.
bool IsValidUtf8Sample(std::string_view sample) {
  Utf8Validator validator;
  return validator.Feed(sample.data(), sample.size()) == sample.size();
}

// Refuses what is certainly not a CSV text file, before it turns into a wall of errors.
Status CheckLooksLikeText(std::string_view sample) {
  if (sample.starts_with(kZipMagic)) {
    return Refuse("not_csv",
                  "文件是 Excel 工作簿（.xlsx）或其他压缩文件，不是 CSV。请在 Excel 中用"
                  "“另存为 → CSV UTF-8（逗号分隔）”保存后再导入。");
  }
  if (sample.starts_with(kOle2Magic)) {
    return Refuse("not_csv",
                  "文件是旧版 Excel 工作簿（.xls），不是 CSV。请在 Excel 中用"
                  "“另存为 → CSV UTF-8（逗号分隔）”保存后再导入。");
  }
  if (size_t nul = sample.find('\0'); nul != std::string_view::npos) {
    return Refuse("not_csv", "文件第 " + std::to_string(nul) +
                                 " 字节处有 NUL 字节：不是文本文件，或是没有 BOM 的 UTF-16 文件。"
                                 "请另存为 CSV UTF-8 后再导入。");
  }
  return {};
}

DetectedEncoding Explicit(std::string_view sample, TextEncoding requested) {
  switch (requested) {
    case TextEncoding::kUtf8:
      return {requested, sample.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0};
    case TextEncoding::kGb18030:
      return {requested, sample.starts_with(kGb18030Bom) ? kGb18030Bom.size() : 0};
    case TextEncoding::kUtf16Le:
      return {requested, sample.starts_with(kUtf16LeBom) ? kUtf16LeBom.size() : 0};
    case TextEncoding::kUtf16Be:
      return {requested, sample.starts_with(kUtf16BeBom) ? kUtf16BeBom.size() : 0};
    case TextEncoding::kAuto:
      break;
  }
  return {TextEncoding::kUtf8, 0};
}

}  // namespace

Result<TextEncoding> ParseTextEncoding(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "auto" || lower.empty()) return TextEncoding::kAuto;
  if (lower == "utf-8" || lower == "utf8") return TextEncoding::kUtf8;
  if (lower == "gb18030" || lower == "gbk" || lower == "gb2312" || lower == "cp936") {
    return TextEncoding::kGb18030;
  }
  if (lower == "utf-16le" || lower == "utf16le") return TextEncoding::kUtf16Le;
  if (lower == "utf-16be" || lower == "utf16be") return TextEncoding::kUtf16Be;
  return Error::BadRequest(
      "unknown_encoding", "不支持的文件编码“" + std::string(name) + "”：可选 auto、utf-8、gb18030");
}

std::string_view TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kAuto:
      return "auto";
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kGb18030:
      return "gb18030";
    case TextEncoding::kUtf16Le:
      return "utf-16le";
    case TextEncoding::kUtf16Be:
      return "utf-16be";
  }
  return "utf-8";
}

Result<DetectedEncoding> DetectEncoding(std::string_view sample, TextEncoding requested) {
  if (requested != TextEncoding::kAuto) return Explicit(sample, requested);
  if (sample.starts_with(kUtf8Bom)) return DetectedEncoding{TextEncoding::kUtf8, kUtf8Bom.size()};
  if (sample.starts_with(kUtf16LeBom)) {
    return DetectedEncoding{TextEncoding::kUtf16Le, kUtf16LeBom.size()};
  }
  if (sample.starts_with(kUtf16BeBom)) {
    return DetectedEncoding{TextEncoding::kUtf16Be, kUtf16BeBom.size()};
  }
  if (sample.starts_with(kGb18030Bom)) {
    return DetectedEncoding{TextEncoding::kGb18030, kGb18030Bom.size()};
  }
  NEMIS_TRY(CheckLooksLikeText(sample));
  if (IsValidUtf8Sample(sample)) {
    return DetectedEncoding{TextEncoding::kUtf8, 0};
  }
  return DetectedEncoding{TextEncoding::kGb18030, 0};
}

}  // namespace nemis::importer
