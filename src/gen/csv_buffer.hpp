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
  static constexpr size_t kCapacity = 1 << 20;
  static constexpr size_t kRowRoom = 8192;  // more than any one row needs

  explicit CsvBuffer(std::FILE* out) : out_(out), data_(new char[kCapacity]), cur_(data_.get()) {}

  void Append(std::string_view s) {
    std::memcpy(cur_, s.data(), s.size());
    cur_ += s.size();
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
    if (n != 0 && std::fwrite(data_.get(), 1, n, out_) != n) return Error::Internal("写入CSV文件失败");
    return {};
  }

 private:
  std::FILE* out_;
  std::unique_ptr<char[]> data_;
  char* cur_;
};

}  // namespace nemis::gen
