#include "importer/encoding_iconv.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "importer/csv_source.hpp"

namespace nemis::importer {
namespace {

constexpr size_t kIconvFailed = static_cast<size_t>(-1);
constexpr size_t kLongestChar = 8;  // room for a character carried over a block boundary

// Converting loses the link between output and input positions. Line breaks restore it: in
// GB18030 the bytes 0x0A and 0x0D are never part of a multi-byte character (trail bytes are
// 0x30-0x39 and 0x40-0xFE), in UTF-16 they are whole code units, and in UTF-8 they are always
// themselves. So the n-th line break out is the n-th line break in, and every record (which
// starts after a line break) has an exact original offset.
struct LineBreakLink {
  uint64_t decoded;         // position of the CR or LF in the UTF-8 stream
  uint64_t original_after;  // original offset just past it
};

// Yields the line breaks (CR or LF code units) of a range in order, using memchr: the linking
// below runs over every converted byte, so a byte loop here costs a third of GB18030 speed.
class LineBreakScanner {
 public:
  // `unit` is 1 (bytes) or 2 (UTF-16 code units, `big_endian` or not).
  LineBreakScanner(const char* begin, const char* end, size_t unit, bool big_endian)
      : begin_(begin), next_(begin), end_(end), unit_(unit), big_endian_(big_endian) {}

  /// The next line break, or null when there are no more.
  const char* Next() {
    if (lf_ == nullptr || lf_ < next_) lf_ = Find('\n');
    if (cr_ == nullptr || cr_ < next_) cr_ = Find('\r');
    const char* hit = std::min(lf_, cr_);
    if (hit == end_) return nullptr;
    next_ = hit + unit_;
    return hit;
  }

 private:
  // The first unit from next_ that is `c`; end_ when none.
  const char* Find(char c) const {
    for (const char* p = next_; p < end_; ++p) {
      p = static_cast<const char*>(std::memchr(p, c, static_cast<size_t>(end_ - p)));
      if (p == nullptr) break;
      if (unit_ == 1) return p;
      const auto at = static_cast<size_t>(p - begin_);
      const size_t low = big_endian_ ? 1 : 0;  // where the low byte of a unit sits
      if (at % 2 != low) continue;
      const char* unit = p - low;
      if (unit + 2 <= end_ && unit[1 - low] == '\0') return unit;
    }
    return end_;
  }

  const char* begin_;
  const char* next_;
  const char* end_;
  const char* lf_ = nullptr;  // next LF found so far (end_: none left)
  const char* cr_ = nullptr;
  size_t unit_;
  bool big_endian_;
};

class IconvDecoder final : public TextDecoder {
 public:
  IconvDecoder(ByteSource& source, TextEncoding encoding, iconv_t cd, size_t block_bytes)
      : TextDecoder(encoding),
        source_(source),
        cd_(cd),
        in_(block_bytes + kLongestChar),
        unit_(encoding == TextEncoding::kGb18030 ? 1 : 2),
        big_endian_(encoding == TextEncoding::kUtf16Be) {}
  ~IconvDecoder() override { iconv_close(cd_); }
  IconvDecoder(const IconvDecoder&) = delete;
  IconvDecoder& operator=(const IconvDecoder&) = delete;

  size_t Read(char* out, size_t capacity) override;
  uint64_t OffsetAfterLineBreak(uint64_t decoded_pos) override;
  uint64_t end_offset() const override { return in_offset_; }
  Status Seek(uint64_t offset) override;

 private:
  bool Fill();
  void LinkLineBreaks(const char* in, size_t in_len, const char* out, size_t out_len);
  size_t Convert(char* out, size_t capacity);

  ByteSource& source_;
  iconv_t cd_;
  std::vector<char> in_;  // unconverted input is [in_pos_, in_end_)
  size_t in_pos_ = 0;
  size_t in_end_ = 0;
  bool eof_ = false;
  bool need_more_ = false;  // the input ends inside a character
  uint64_t in_offset_ = 0;  // original offset of in_[in_pos_]
  uint64_t decoded_ = 0;    // UTF-8 bytes produced
  size_t unit_;             // code unit size of the input encoding
  bool big_endian_;
  std::vector<LineBreakLink> links_;  // not yet asked for, from links_head_
  size_t links_head_ = 0;
};

// Moves the unconverted tail to the front and appends the next block of input.
bool IconvDecoder::Fill() {
  const size_t tail = in_end_ - in_pos_;
  std::memmove(in_.data(), in_.data() + in_pos_, tail);
  in_pos_ = 0;
  in_end_ = tail;
  auto got = source_.Read(in_.data() + tail, in_.size() - kLongestChar);
  if (!got.ok()) {
    Fail(DecodeFailure::Kind::kIo, in_offset_, {}, got.error().message);
    return false;
  }
  if (*got == 0) eof_ = true;
  in_end_ += *got;
  return true;
}

void IconvDecoder::LinkLineBreaks(const char* in, size_t in_len, const char* out, size_t out_len) {
  LineBreakScanner in_breaks(in, in + in_len, unit_, big_endian_);
  LineBreakScanner out_breaks(out, out + out_len, 1, false);
  for (;;) {
    const char* i = in_breaks.Next();
    if (i == nullptr) return;
    const char* o = out_breaks.Next();
    if (o == nullptr) return;  // cannot happen: iconv maps line breaks one to one
    links_.push_back({decoded_ + static_cast<uint64_t>(o - out),
                      in_offset_ + static_cast<uint64_t>(i - in) + unit_});
  }
}

// One iconv call over the buffered input; returns bytes produced and updates the state.
size_t IconvDecoder::Convert(char* out, size_t capacity) {
  char* in = in_.data() + in_pos_;
  size_t in_left = in_end_ - in_pos_;
  char* out_next = out;
  size_t out_left = capacity;
  const size_t result = iconv(cd_, &in, &in_left, &out_next, &out_left);
  const int err = errno;
  const auto consumed = static_cast<size_t>(in - (in_.data() + in_pos_));
  const auto produced = static_cast<size_t>(out_next - out);
  LinkLineBreaks(in_.data() + in_pos_, consumed, out, produced);
  in_pos_ += consumed;
  in_offset_ += consumed;
  decoded_ += produced;
  if (result != kIconvFailed || err == E2BIG) return produced;
  if (err == EINVAL) {
    need_more_ = true;  // a character continues in the next block
  } else {
    const size_t shown = std::min<size_t>(unit_ == 1 ? 4 : 2, in_end_ - in_pos_);
    Fail(DecodeFailure::Kind::kInvalid, in_offset_, std::string(in_.data() + in_pos_, shown));
  }
  return produced;
}

size_t IconvDecoder::Read(char* out, size_t capacity) {
  while (!failure_) {
    if (in_pos_ == in_end_ || need_more_) {
      if (!eof_ && !Fill()) return 0;
      if (eof_ && in_pos_ == in_end_) return 0;
      if (eof_ && need_more_) {
        Fail(DecodeFailure::Kind::kTruncated, in_offset_,
             std::string(in_.data() + in_pos_, in_end_ - in_pos_));
        return 0;
      }
      need_more_ = false;
    }
    const size_t produced = Convert(out, capacity);
    if (produced > 0) return produced;
    if (!need_more_ && in_pos_ < in_end_ && !failure_) {
      Fail(DecodeFailure::Kind::kIo, in_offset_, {}, "转换缓冲区太小");  // capacity < 1 char
    }
  }
  return 0;
}

uint64_t IconvDecoder::OffsetAfterLineBreak(uint64_t decoded_pos) {
  while (links_head_ < links_.size() && links_[links_head_].decoded < decoded_pos) ++links_head_;
  if (links_head_ == links_.size()) return in_offset_;  // not a line break: caller's bug
  const uint64_t offset = links_[links_head_++].original_after;
  if (links_head_ >= 4096 && links_head_ * 2 >= links_.size()) {
    links_.erase(links_.begin(), links_.begin() + static_cast<std::ptrdiff_t>(links_head_));
    links_head_ = 0;
  }
  return offset;
}

Status IconvDecoder::Seek(uint64_t offset) {
  NEMIS_TRY(source_.SeekTo(offset));
  iconv(cd_, nullptr, nullptr, nullptr, nullptr);
  in_pos_ = in_end_ = 0;
  eof_ = need_more_ = false;
  in_offset_ = offset;
  decoded_ = 0;
  links_.clear();
  links_head_ = 0;
  failure_.reset();
  return {};
}

const char* IconvName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kGb18030:
      return "GB18030";
    case TextEncoding::kUtf16Le:
      return "UTF-16LE";
    case TextEncoding::kUtf16Be:
      return "UTF-16BE";
    default:
      return "UTF-8";
  }
}

}  // namespace

Result<std::unique_ptr<TextDecoder>> MakeIconvDecoder(ByteSource& source, TextEncoding encoding,
                                                      size_t block_bytes) {
  iconv_t cd = iconv_open("UTF-8", IconvName(encoding));
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Error::Internal(std::string("系统不支持 ") + IconvName(encoding) + " 转换：" +
                           std::strerror(errno));
  }
  return std::unique_ptr<TextDecoder>(
      std::make_unique<IconvDecoder>(source, encoding, cd, block_bytes));
}

}  // namespace nemis::importer
