// Encoding detection and the decoders of imports (src/importer/encoding*.hpp): the input is
// a file's first bytes. DetectEncoding picks UTF-8, GB18030 or UTF-16 (or the fuzzer asks
// for one explicitly, as ?encoding= does); the decoder turns it into UTF-8 in small and
// large blocks. Checks:
// - the output is valid UTF-8; for UTF-8 input it is exactly the input's valid prefix, and
//   the failure (invalid or cut character) is where a reference check finds it. (The UTF-8
//   decoder hands a character cut by a block boundary out in two pieces, so before a failure
//   the output may end with the first bytes of the bad or cut character; the CSV reader
//   stops at the failure and never hands them on: csv_reader_fuzz checks its fields.)
// - block sizes change nothing: same whole characters, same failure, same offsets;
// - every line break out maps to a line break in (OffsetAfterLineBreak), in order;
// - seeking to just after a line break decodes the same tail;
// - Utf8Validator fed in random pieces agrees with the reference check.
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "importer/csv_source.hpp"
#include "importer/encoding.hpp"
#include "importer/encoding_decoder.hpp"
#include "importer/encoding_utf8.hpp"
#include "memfd_file.hpp"

namespace nemis::fuzz {
namespace {

using importer::DecodeFailure;
using importer::DetectedEncoding;
using importer::TextEncoding;

struct Decoded {
  std::string text;
  bool failed = false;
  DecodeFailure::Kind kind = DecodeFailure::Kind::kInvalid;
  uint64_t offset = 0;
  std::vector<uint64_t> line_ends;  // original offset after each line break
};

// Decodes from `start` (the BOM's end or a line break's) to the end or a failure.
Decoded Decode(MemFile& file, DetectedEncoding enc, size_t block, size_t capacity, uint64_t start) {
  Decoded out;
  importer::ByteSource source(file.Rewind(), false);
  auto decoder = importer::TextDecoder::Create(source, {enc.encoding, 0}, block);
  FUZZ_CHECK(decoder.ok(), "no decoder for a detected encoding");
  FUZZ_CHECK((*decoder)->Seek(start).ok(), "seek refused");
  std::vector<char> buf(capacity);
  for (int guard = 0;; ++guard) {
    FUZZ_CHECK(guard < 1 << 20, "decoder does not end");
    size_t n = (*decoder)->Read(buf.data(), capacity);
    FUZZ_CHECK(n <= capacity, "decoder overran its buffer");
    if (n == 0) break;
    out.text.append(buf.data(), n);
  }
  if (const DecodeFailure* f = (*decoder)->failure()) {
    FUZZ_CHECK(f->kind != DecodeFailure::Kind::kIo, "I/O failure on a memory file");
    out.failed = true;
    out.kind = f->kind;
    out.offset = f->offset;
  }
  // After a failure the decoders differ on how far they read; at the end they agree.
  if (!out.failed)
    FUZZ_CHECK((*decoder)->end_offset() == file.size(), "end offset is not the size");
  uint64_t previous = start;
  for (size_t i = 0; i < out.text.size(); ++i) {
    if (out.text[i] != '\n' && out.text[i] != '\r') continue;
    uint64_t after = (*decoder)->OffsetAfterLineBreak(i);
    FUZZ_CHECK(after > previous, "line break offsets do not increase");
    previous = after;
    out.line_ends.push_back(after);
  }
  return out;
}

// The output without a trailing piece of a character (see above).
std::string WholeCharacters(const Decoded& d) {
  Utf8Scan scan = ScanUtf8(d.text);
  if (!d.failed) FUZZ_CHECK(scan.end == Utf8Scan::kWhole, "decoder output is not UTF-8");
  FUZZ_CHECK(scan.end != Utf8Scan::kInvalid, "decoder output is not UTF-8");
  FUZZ_CHECK(d.text.size() - scan.valid < 4, "more than a character's piece before a failure");
  return d.text.substr(0, scan.valid);
}

void CheckUtf8(std::string_view input, size_t bom, const Decoded& d) {
  std::string_view text = input.substr(bom);
  Utf8Scan scan = ScanUtf8(text);
  FUZZ_CHECK(WholeCharacters(d) == text.substr(0, scan.valid),
             "UTF-8 output is not the valid prefix");
  FUZZ_CHECK(text.starts_with(d.text), "UTF-8 output is not the input");
  FUZZ_CHECK(d.failed == (scan.end != Utf8Scan::kWhole), "UTF-8 failure where none is (or none)");
  if (d.failed) {
    FUZZ_CHECK(d.offset == bom + scan.valid, "UTF-8 failure at the wrong offset");
    FUZZ_CHECK((d.kind == DecodeFailure::Kind::kTruncated) == (scan.end == Utf8Scan::kCut),
               "cut character reported as invalid (or the reverse)");
  }
}

void CheckValidatorInPieces(std::string_view text, uint32_t mix) {
  importer::Utf8Validator v;
  Utf8Scan scan = ScanUtf8(text);
  size_t pos = 0;
  bool failed = false;
  while (pos < text.size() && !failed) {
    size_t n = std::min<size_t>(text.size() - pos, 1 + mix % 7);
    mix = mix * 1103515245u + 12345u;
    size_t good = v.Feed(text.data() + pos, n);
    if (good < n) {
      failed = true;
      FUZZ_CHECK(v.bad_offset() == scan.valid, "Utf8Validator fails at the wrong offset");
      FUZZ_CHECK(pos + good == std::max<size_t>(scan.valid, pos), "whole characters miscounted");
    }
    pos += n;
  }
  FUZZ_CHECK(failed == (scan.end == Utf8Scan::kInvalid), "Utf8Validator disagrees with table 3-7");
  if (!failed) FUZZ_CHECK(v.AtCharBoundary() == (scan.end == Utf8Scan::kWhole), "open character");
}

}  // namespace
}  // namespace nemis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nemis;
  static fuzz::MemFile file;
  std::string_view input = fuzz::AsText(data, size);
  const uint32_t mix = fuzz::Mix(input);
  fuzz::CheckValidatorInPieces(input, mix);

  static constexpr importer::TextEncoding kRequests[] = {
      importer::TextEncoding::kAuto,    importer::TextEncoding::kAuto,
      importer::TextEncoding::kUtf8,    importer::TextEncoding::kGb18030,
      importer::TextEncoding::kUtf16Le, importer::TextEncoding::kUtf16Be};
  auto detected = importer::DetectEncoding(input, kRequests[mix % std::size(kRequests)]);
  if (!detected.ok()) return 0;
  FUZZ_CHECK(detected->bom_bytes <= input.size(), "BOM longer than the file");
  file.Fill(input);

  const size_t bom = detected->bom_bytes;
  fuzz::Decoded big = fuzz::Decode(file, *detected, 64 * 1024, 64 * 1024, bom);
  fuzz::Decoded small =
      fuzz::Decode(file, *detected, 1 + (mix >> 8) % 16, 8 + (mix >> 12) % 8, bom);
  FUZZ_CHECK(fuzz::WholeCharacters(small) == fuzz::WholeCharacters(big) &&
                 small.failed == big.failed && small.kind == big.kind &&
                 small.offset == big.offset && small.line_ends == big.line_ends,
             "block and buffer sizes change the decoding");
  if (detected->encoding == importer::TextEncoding::kUtf8) fuzz::CheckUtf8(input, bom, big);

  if (!big.line_ends.empty()) {
    size_t k = (mix >> 16) % big.line_ends.size();
    size_t cut = 0;  // UTF-8 position just after the k-th line break
    for (size_t i = 0, seen = 0; i < big.text.size(); ++i) {
      if ((big.text[i] == '\n' || big.text[i] == '\r') && seen++ == k) {
        cut = i + 1;
        break;
      }
    }
    fuzz::Decoded tail = fuzz::Decode(file, *detected, 1 + (mix >> 20) % 16, 16, big.line_ends[k]);
    FUZZ_CHECK(fuzz::WholeCharacters(tail) == fuzz::WholeCharacters(big).substr(cut),
               "decoding after a line break differs");
    FUZZ_CHECK(tail.failed == big.failed && tail.offset == big.offset,
               "failure differs after a seek");
  }
  return 0;
}
