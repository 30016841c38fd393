// The raw bytes of an imported file: large reads from a descriptor (a spooled upload, a
// file named on the command line, or a pipe), with the first bytes peeked for encoding
// detection and then handed out again, so that detection works on pipes too.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace nemis::importer {

class ByteSource {
 public:
  static Result<std::unique_ptr<ByteSource>> OpenPath(const std::string& path);
  /// Reads `fd` from where it stands (offset 0 of the input); closes it on destruction when
  /// `owns_fd`.
  ByteSource(int fd, bool owns_fd);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  /// Up to `n` bytes (a short count is not the end); 0 at end of input.
  Result<size_t> Read(char* out, size_t n);
  /// The first `n` bytes of the input (fewer when it is shorter). Must be called before any
  /// Read; Read then returns these bytes again.
  Result<std::string_view> PeekStart(size_t n);
  /// Makes the next Read start at `offset`. Files seek; pipes can only skip forward.
  Status SeekTo(uint64_t offset);
  /// `n` bytes at `offset` without moving (files only; fewer at end of file).
  Result<std::string> ReadAt(uint64_t offset, size_t n) const;

  /// Offset in the input of the next byte Read returns.
  uint64_t position() const { return position_; }
  /// Size of the input, 0 when unknown (a pipe).
  uint64_t size() const { return size_; }
  bool seekable() const { return seekable_; }

 private:
  Result<size_t> ReadFd(char* out, size_t n);

  int fd_;
  bool owns_fd_;
  bool seekable_ = false;
  uint64_t start_ = 0;  // file offset of input offset 0
  uint64_t size_ = 0;
  uint64_t position_ = 0;
  std::string peeked_;  // replayed by Read from peeked_pos_
  size_t peeked_pos_ = 0;
};

}  // namespace nemis::importer
