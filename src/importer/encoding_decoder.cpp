#include "importer/encoding_decoder.hpp"

#include <algorithm>

#include "importer/csv_source.hpp"
#include "importer/encoding_iconv.hpp"
#include "importer/encoding_utf8.hpp"

namespace nemis::importer {
namespace {

// UTF-8 input: bytes go straight from read(2) into the caller's buffer and are validated
// there, so the common case costs one pass over memory and no copy.
class Utf8Decoder final : public TextDecoder {
 public:
  Utf8Decoder(ByteSource& source, size_t block_bytes)
      : TextDecoder(TextEncoding::kUtf8), source_(source), block_bytes_(block_bytes) {}

  size_t Read(char* out, size_t capacity) override;
  uint64_t OffsetAfterLineBreak(uint64_t decoded_pos) override { return base_ + decoded_pos + 1; }
  uint64_t end_offset() const override { return validator_.position(); }
  std::optional<uint64_t> identity_base() const override { return base_; }
  Status Seek(uint64_t offset) override;

 private:
  ByteSource& source_;
  size_t block_bytes_;
  uint64_t base_ = 0;  // original offset of UTF-8 position 0
  Utf8Validator validator_;
};

size_t Utf8Decoder::Read(char* out, size_t capacity) {
  if (failure_) return 0;
  auto got = source_.Read(out, std::min(capacity, block_bytes_));
  if (!got.ok()) {
    Fail(DecodeFailure::Kind::kIo, validator_.position(), {}, got.error().message);
    return 0;
  }
  const size_t n = *got;
  if (n == 0) {
    if (!validator_.AtCharBoundary()) {
      Fail(DecodeFailure::Kind::kTruncated, validator_.open_offset(), {});
    }
    return 0;
  }
  const uint64_t block_start = validator_.position();
  const size_t good = validator_.Feed(out, n);
  if (good < n) {
    // The bad sequence may have started in the previous block; show what is in this one.
    const uint64_t shown = std::max(validator_.bad_offset(), block_start);
    const auto at = static_cast<size_t>(shown - block_start);
    Fail(DecodeFailure::Kind::kInvalid, validator_.bad_offset(),
         std::string(out + at, std::min<size_t>(4, n - at)));
  }
  return good;
}

Status Utf8Decoder::Seek(uint64_t offset) {
  NEMIS_TRY(source_.SeekTo(offset));
  base_ = offset;
  validator_.Reset(offset);
  failure_.reset();
  return {};
}

}  // namespace

void TextDecoder::Fail(DecodeFailure::Kind kind, uint64_t offset, std::string bytes,
                       std::string message) {
  failure_ = DecodeFailure{kind, offset, std::move(bytes), std::move(message)};
}

Result<std::unique_ptr<TextDecoder>> TextDecoder::Create(ByteSource& source,
                                                         DetectedEncoding encoding,
                                                         size_t block_bytes) {
  block_bytes = std::max<size_t>(block_bytes, 1);
  std::unique_ptr<TextDecoder> decoder;
  if (encoding.encoding == TextEncoding::kUtf8 || encoding.encoding == TextEncoding::kAuto) {
    decoder = std::make_unique<Utf8Decoder>(source, block_bytes);
  } else {
    NEMIS_ASSIGN_OR_RETURN(decoder, MakeIconvDecoder(source, encoding.encoding, block_bytes));
  }
  NEMIS_TRY(decoder->Seek(encoding.bom_bytes));
  return decoder;
}

}  // namespace nemis::importer
