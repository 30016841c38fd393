// A reusable output buffer for gen's CSV writers: appends without allocating and
// hands full blocks to fwrite. Gen's fields never hold commas, quotes or newlines, so
// nothing is quoted.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

#include "base/result.hpp"

namespace nemis::gen {

class CsvBuffer {
 public:
  static constexpr size_t kCapacity = 1 << 17;  // small enough to stay in L2 with the counters
  static constexpr size_t kRowRoom = 8192;      // more than any one row needs

  explicit CsvBuffer(std::FILE* out) : out_(out), data_(new char[kCapacity]), cur_(data_.get()) {}

  void Append(std::string_view s) {
    // Most fields are a few bytes: copy them with two overlapping fixed-size moves
    // instead of a call to memcpy.
    const char* p = s.data();
    size_t n = s.size();
    if (n >= 8 && n <= 16) {
      Move<8>(p, 0);
      Move<8>(p, n - 8);
    } else if (n >= 4 && n < 8) {
      Move<4>(p, 0);
      Move<4>(p, n - 4);
    } else if (n > 16) {
      std::memcpy(cur_, p, n);
    } else {
      for (size_t i = 0; i < n; ++i) cur_[i] = p[i];
    }
    cur_ += n;
  }
  void Char(char c) { *cur_++ = c; }
  void Comma() { *cur_++ = ','; }
  /// Exactly `width` decimal digits of `value` (leading zeros kept).
  void Digits(uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      cur_[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    cur_ += width;
  }
  /// A non-negative number without leading zeros.
  void Number(uint64_t value) {
    char tmp[20];
    int n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    while (n > 0) *cur_++ = tmp[--n];
  }
  char* cursor() { return cur_; }
  void Advance(size_t n) { cur_ += n; }

  /// Call after each row: writes the buffer out once it is nearly full.
  Status EndRow() {
    if (static_cast<size_t>(cur_ - data_.get()) + kRowRoom > kCapacity) return Flush();
    return {};
  }
  Status Flush() {
    size_t n = static_cast<size_t>(cur_ - data_.get());
    cur_ = data_.get();
    if (n != 0 && std::fwrite(data_.get(), 1, n, out_) != n)
      return Error::Internal("写入CSV文件失败");
    return {};
  }

 private:
  template <size_t kBytes>
  void Move(const char* from, size_t at) {
    char tmp[kBytes];
    std::memcpy(tmp, from + at, kBytes);
    std::memcpy(cur_ + at, tmp, kBytes);
  }

  std::FILE* out_;
  std::unique_ptr<char[]> data_;
  char* cur_;
};

}  // namespace nemis::gen
