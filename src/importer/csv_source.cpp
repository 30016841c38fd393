#include "importer/csv_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace nemis::importer {
namespace {

Error IoError(const std::string& what) {
  return Error::Internal(what + "：" + std::strerror(errno));
}

}  // namespace

Result<std::unique_ptr<ByteSource>> ByteSource::OpenPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    Error e = Error::BadRequest("cannot_open", "无法打开文件 " + path + "：" + std::strerror(err));
    if (err == ENOENT) e.kind = ErrorKind::kNotFound;
    return e;
  }
  return std::make_unique<ByteSource>(fd, true);
}

ByteSource::ByteSource(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    seekable_ = true;
    const off_t here = ::lseek(fd_, 0, SEEK_CUR);
    start_ = here > 0 ? static_cast<uint64_t>(here) : 0;
    size_ =
        static_cast<uint64_t>(st.st_size) > start_ ? static_cast<uint64_t>(st.st_size) - start_ : 0;
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);  // larger kernel read-ahead
#endif
  }
}

ByteSource::~ByteSource() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

Result<size_t> ByteSource::ReadFd(char* out, size_t n) {
  for (;;) {
    const ssize_t got = ::read(fd_, out, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return IoError("读取文件失败");
  }
}

Result<size_t> ByteSource::Read(char* out, size_t n) {
  if (peeked_pos_ < peeked_.size()) {
    const size_t k = std::min(n, peeked_.size() - peeked_pos_);
    std::memcpy(out, peeked_.data() + peeked_pos_, k);
    peeked_pos_ += k;
    position_ += k;
    return k;
  }
  NEMIS_ASSIGN_OR_RETURN(const size_t got, ReadFd(out, n));
  position_ += got;
  return got;
}

Result<std::string_view> ByteSource::PeekStart(size_t n) {
  peeked_.resize(n);
  size_t have = 0;
  while (have < n) {
    NEMIS_ASSIGN_OR_RETURN(const size_t got, ReadFd(peeked_.data() + have, n - have));
    if (got == 0) break;
    have += got;
  }
  peeked_.resize(have);
  peeked_pos_ = 0;
  return std::string_view(peeked_);
}

Status ByteSource::SeekTo(uint64_t offset) {
  if (seekable_) {
    if (::lseek(fd_, static_cast<off_t>(start_ + offset), SEEK_SET) < 0)
      return IoError("定位文件失败");
    peeked_.clear();
    peeked_pos_ = 0;
    position_ = offset;
    return {};
  }
  if (offset < position_) {
    return Error::BadRequest("cannot_seek", "输入是管道，不能回到第 " + std::to_string(offset) +
                                                " 字节；请从文件导入以便续传");
  }
  std::vector<char> scratch(size_t{64} * 1024);
  while (position_ < offset) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(scratch.size(), offset - position_));
    NEMIS_ASSIGN_OR_RETURN(const size_t got, Read(scratch.data(), want));
    if (got == 0) break;  // past the end: the next Read reports end of input
  }
  return {};
}

Result<std::string> ByteSource::ReadAt(uint64_t offset, size_t n) const {
  std::string bytes(n, '\0');
  size_t have = 0;
  while (have < n) {
    const ssize_t got =
        ::pread(fd_, bytes.data() + have, n - have, static_cast<off_t>(start_ + offset + have));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return IoError("读取文件失败");
    if (got == 0) break;
    have += static_cast<size_t>(got);
  }
  bytes.resize(have);
  return bytes;
}

}  // namespace nemis::importer
