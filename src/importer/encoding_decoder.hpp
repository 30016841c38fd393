// Streams a file's bytes out as UTF-8, whatever its encoding, and maps positions in that
// UTF-8 stream back to byte offsets in the original file (resume points and error reports
// must name the bytes the user has, not the converted ones).
//
// UTF-8 input is passed through untouched (read straight into the caller's buffer) and
// validated as it goes; every other encoding goes through iconv in blocks, carrying a
// character cut by a block boundary over to the next block.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "importer/encoding.hpp"

namespace nemis::importer {

class ByteSource;

/// Why decoding stopped. The reader turns it into a message naming the line.
struct DecodeFailure {
  enum class Kind { kIo, kInvalid, kTruncated };
  Kind kind = Kind::kInvalid;
  uint64_t offset = 0;  // in the original file: first byte of the bad or cut sequence
  std::string bytes;    // up to 4 bytes from `offset`, for the message
  std::string message;  // for kIo
};

class TextDecoder {
 public:
  /// A decoder for `encoding` reading `source` after the BOM; reads at most `block_bytes`
  /// from the source at a time.
  static Result<std::unique_ptr<TextDecoder>> Create(ByteSource& source, DetectedEncoding encoding,
                                                     size_t block_bytes);
  virtual ~TextDecoder() = default;

  /// Writes up to `capacity` (>= 8) bytes of UTF-8 into `out`, only whole valid characters
  /// up to any failure. Returns 0 at end of input or after a failure (see failure()).
  virtual size_t Read(char* out, size_t capacity) = 0;

  /// Original offset just past the line break (CR or LF) at UTF-8 stream position
  /// `decoded_pos`. Calls must come in increasing order of position, each naming a CR or LF
  /// already returned by Read.
  virtual uint64_t OffsetAfterLineBreak(uint64_t decoded_pos) = 0;

  /// Original offset of the end of what Read has returned (the file size at end of input).
  virtual uint64_t end_offset() const = 0;

  /// Restarts decoding at original offset `offset`, which must start a character (any offset
  /// just after a line break does); UTF-8 stream positions restart at 0.
  virtual Status Seek(uint64_t offset) = 0;

  /// Set when original offset == UTF-8 position + *identity_base() (UTF-8 input): the reader
  /// then maps offsets itself without calls.
  virtual std::optional<uint64_t> identity_base() const { return std::nullopt; }

  const DecodeFailure* failure() const { return failure_ ? &*failure_ : nullptr; }
  TextEncoding encoding() const { return encoding_; }

 protected:
  explicit TextDecoder(TextEncoding encoding) : encoding_(encoding) {}
  void Fail(DecodeFailure::Kind kind, uint64_t offset, std::string bytes, std::string message = {});

  std::optional<DecodeFailure> failure_;

 private:
  TextEncoding encoding_;
};

}  // namespace nemis::importer
