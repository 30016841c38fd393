// Shared by the fuzz targets: a check that aborts (so libFuzzer records the input as a
// crash) with a message, and the input as text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

/// Aborts with `what` when `cond` is false: a property of the parser was broken.
#define FUZZ_CHECK(cond, what)                                                                   \
  do {                                                                                           \
    if (!(cond)) {                                                                               \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  (%s)\n", __FILE__, __LINE__, what, \
                   #cond);                                                                       \
      std::abort();                                                                              \
    }                                                                                            \
  } while (false)

namespace nemis::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A small number taken from the input's bytes, for choosing options (buffer sizes,
/// split points) that change as the input does. Deterministic for a given input.
inline uint32_t Mix(std::string_view text) {
  uint32_t h = 2166136261u;
  for (unsigned char c : text) h = (h ^ c) * 16777619u;
  return h;
}

/// How a byte string ends as UTF-8, by a reference check written from Unicode table 3-7,
/// independent of the validators under test (http::IsValidUtf8, importer::Utf8Validator).
struct Utf8Scan {
  enum End { kWhole, kCut, kInvalid } end = kWhole;
  size_t valid = 0;  // length of the longest prefix of whole valid characters
};

inline Utf8Scan ScanUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c <= 0x7F)
      n = 0;
    else if (c >= 0xC2 && c <= 0xDF)
      n = 1;
    else if (c == 0xE0)
      n = 2, lo = 0xA0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
      n = 2;
    else if (c == 0xED)
      n = 2, hi = 0x9F;
    else if (c == 0xF0)
      n = 3, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3)
      n = 3;
    else if (c == 0xF4)
      n = 3, hi = 0x8F;
    else
      return {Utf8Scan::kInvalid, i};
    for (size_t k = 1; k <= n; ++k) {
      if (i + k == s.size()) return {Utf8Scan::kCut, i};
      auto cc = static_cast<unsigned char>(s[i + k]);
      if (cc < (k == 1 ? lo : 0x80) || cc > (k == 1 ? hi : 0xBF)) return {Utf8Scan::kInvalid, i};
    }
    i += n + 1;
  }
  return {Utf8Scan::kWhole, i};
}

inline bool ReferenceUtf8(std::string_view s) { return ScanUtf8(s).end == Utf8Scan::kWhole; }

}  // namespace nemis::fuzz
