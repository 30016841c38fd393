// Text encodings of imported files. Rosters arrive as UTF-8 (with or without a BOM),
// as GB18030/GBK (what Excel on Chinese Windows writes as "CSV") or as UTF-16 with a BOM
// (Excel's "Unicode text"). Everything is turned into UTF-8 before parsing; this file
// names the encodings and decides which one a file uses.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/result.hpp"

namespace nemis::importer {

enum class TextEncoding {
  kAuto,  // only as a request: detect from the BOM and the first bytes
  kUtf8,
  kGb18030,  // a superset of GBK and GB2312
  kUtf16Le,  // only with a BOM
  kUtf16Be,  // only with a BOM
};

/// "auto", "utf-8", "gb18030", "utf-16le", "utf-16be" (case-insensitive; "utf8", "gbk" and
/// "gb2312" are accepted as aliases).
Result<TextEncoding> ParseTextEncoding(std::string_view name);

/// The canonical name, e.g. "gb18030".
std::string_view TextEncodingName(TextEncoding encoding);

struct DetectedEncoding {
  TextEncoding encoding = TextEncoding::kUtf8;
  size_t bom_bytes = 0;  // bytes to skip at the start of the file
  bool operator==(const DetectedEncoding&) const = default;
};

/// How many leading bytes DetectEncoding wants to see.
inline constexpr size_t kEncodingSampleBytes = 64 * 1024;

/// Decides the encoding of a file from its first bytes (kEncodingSampleBytes, or the whole
/// file when shorter). A BOM wins; else a sample that is valid UTF-8 (a character cut at the
/// end of the sample is allowed) means UTF-8; else GB18030. An explicit
/// `requested` encoding overrides detection (only its own BOM is stripped). Files that
/// are clearly not text (a zip/xlsx, an old .xls, NUL bytes) are refused with a message
/// that says what to do.
Result<DetectedEncoding> DetectEncoding(std::string_view sample, TextEncoding requested);

}  // namespace nemis::importer
