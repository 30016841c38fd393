// The iconv-backed decoder (GB18030, UTF-16) behind TextDecoder::Create.
#pragma once

#include <memory>

#include "base/result.hpp"
#include "importer/encoding.hpp"
#include "importer/encoding_decoder.hpp"

namespace nemis::importer {

class ByteSource;

/// Converts `encoding` (not UTF-8) to UTF-8 with glibc iconv, `block_bytes` of input at a time.
Result<std::unique_ptr<TextDecoder>> MakeIconvDecoder(ByteSource& source, TextEncoding encoding,
                                                      size_t block_bytes);

}  // namespace nemis::importer
