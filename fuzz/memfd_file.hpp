// An in-memory file (memfd) holding the fuzz input, for the readers that take a file
// descriptor (the CSV reader and its decoders read spooled uploads the same way).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace nemis::fuzz {

class MemFile {
 public:
  MemFile() : fd_(::memfd_create("fuzz-input", 0)) {
    if (fd_ < 0) std::abort();
  }
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;

  /// Replaces the contents with `bytes` and rewinds.
  void Fill(std::string_view bytes) {
    if (::ftruncate(fd_, 0) != 0) std::abort();
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n <= 0) std::abort();
      done += static_cast<size_t>(n);
    }
    size_ = bytes.size();
    Rewind();
  }
  size_t size() const { return size_; }
  /// Back to offset 0: the readers start where the descriptor stands.
  int Rewind() {
    if (::lseek(fd_, 0, SEEK_SET) != 0) std::abort();
    return fd_;
  }

 private:
  int fd_;
  size_t size_ = 0;
};

}  // namespace nemis::fuzz
