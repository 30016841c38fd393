#include "base/ids.hpp"

#include <sys/random.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace nemis {
namespace {

void FillRandom(unsigned char* buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t got = getrandom(buf + done, n - done, 0);
    if (got < 0) throw std::runtime_error("getrandom failed");
    done += static_cast<size_t>(got);
  }
}

std::string Hex(const unsigned char* buf, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[buf[i] >> 4];
    out[2 * i + 1] = kDigits[buf[i] & 15];
  }
  return out;
}

}  // namespace

std::string RandomHex(size_t n) {
  std::string out;
  unsigned char buf[64];
  while (n > 0) {
    size_t take = n < sizeof buf ? n : sizeof buf;
    FillRandom(buf, take);
    out += Hex(buf, take);
    n -= take;
  }
  return out;
}

std::string NewRequestId() { return RandomHex(8); }

std::string NewUuidV7() {
  unsigned char b[16];
  FillRandom(b, sizeof b);
  uint64_t ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0f));
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f));
  std::string h = Hex(b, 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

}  // namespace nemis
