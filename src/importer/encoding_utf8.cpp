#include "importer/encoding_utf8.hpp"

#include <array>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace nemis::importer {
namespace {

#ifndef __SSE2__
constexpr uint64_t kHighBits = 0x8080808080808080ULL;
#endif

// Sequence length and the allowed range of the second byte for a lead byte (table 3-7);
// 0 for bytes that cannot start a character.
struct LeadInfo {
  int length;
  uint8_t lo;
  uint8_t hi;
};

constexpr LeadInfo LeadOf(uint8_t b) {
  if (b < 0xC2) return {0, 0, 0};
  if (b < 0xE0) return {2, 0x80, 0xBF};
  if (b < 0xF0)
    return {3, b == 0xE0 ? uint8_t{0xA0} : uint8_t{0x80},
            b == 0xED ? uint8_t{0x9F} : uint8_t{0xBF}};
  if (b < 0xF5)
    return {4, b == 0xF0 ? uint8_t{0x90} : uint8_t{0x80},
            b == 0xF4 ? uint8_t{0x8F} : uint8_t{0xBF}};
  return {0, 0, 0};
}

constexpr std::array<LeadInfo, 256> kLeads = [] {
  std::array<LeadInfo, 256> leads{};
  for (int b = 0; b < 256; ++b) leads[b] = LeadOf(static_cast<uint8_t>(b));
  return leads;
}();

inline const LeadInfo& Lead(uint8_t b) { return kLeads[b]; }

}  // namespace

void Utf8Validator::Reset(uint64_t position) {
  position_ = position;
  seq_start_ = bad_offset_ = 0;
  need_ = 0;
  lo_ = 0x80;
  hi_ = 0xBF;
}

size_t Utf8Validator::Fail(uint64_t seq_start, size_t block_index, uint64_t block_start) {
  bad_offset_ = seq_start;
  position_ = block_start + block_index;
  return seq_start >= block_start ? static_cast<size_t>(seq_start - block_start) : 0;
}

// Continues a character left open by the previous block. Returns the index after it, n when
// it is still open, or n + 1 on an invalid byte.
size_t Utf8Validator::FinishOpen(const uint8_t* s, size_t n) {
  size_t i = 0;
  while (need_ > 0 && i < n) {
    if (s[i] < lo_ || s[i] > hi_) return n + 1;
    lo_ = 0x80;
    hi_ = 0xBF;
    --need_;
    ++i;
  }
  return i;
}

size_t Utf8Validator::Feed(const char* data, size_t n) {
  const auto* s = reinterpret_cast<const uint8_t*>(data);
  const uint64_t block_start = position_;
  size_t i = FinishOpen(s, n);
  if (i > n) return Fail(seq_start_, 0, block_start);
  while (i < n) {
    // ASCII runs (digits, codes, dates) dominate a roster: skip them 16 bytes at a time.
#ifdef __SSE2__
    while (i + 16 <= n) {
      const int mask = _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i)));
      if (mask != 0) {
        i += static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
        break;
      }
      i += 16;
    }
#else
    while (i + 16 <= n) {
      uint64_t a;
      uint64_t b;
      std::memcpy(&a, s + i, 8);
      std::memcpy(&b, s + i + 8, 8);
      if ((a | b) & kHighBits) break;
      i += 16;
    }
#endif
    while (i < n && s[i] < 0x80) ++i;
    // A run of non-ASCII characters (a name, an address) stays in this loop.
    while (i < n && s[i] >= 0x80) {
      const LeadInfo& lead = Lead(s[i]);
      if (lead.length == 0) return Fail(block_start + i, i, block_start);
      if (i + lead.length > n) {  // cut by the end of the block: keep it open
        seq_start_ = block_start + i;
        need_ = lead.length - 1;
        lo_ = lead.lo;
        hi_ = lead.hi;
        if (FinishOpen(s + i + 1, n - i - 1) > n - i - 1) return Fail(seq_start_, i, block_start);
        position_ = block_start + n;
        return n;
      }
      const bool ok = s[i + 1] >= lead.lo && s[i + 1] <= lead.hi &&
                      (lead.length < 3 || (s[i + 2] & 0xC0) == 0x80) &&
                      (lead.length < 4 || (s[i + 3] & 0xC0) == 0x80);
      if (!ok) return Fail(block_start + i, i, block_start);
      i += lead.length;
    }
  }
  position_ = block_start + n;
  return n;
}

}  // namespace nemis::importer
