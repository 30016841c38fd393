#include "exchange/key_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nemis::exchange {
namespace {

Error IoError(const std::string& what, const std::filesystem::path& path) {
  return Error{ErrorKind::kInternal,
               "key_file_io",
               what + " " + path.string() + "：" + std::strerror(errno),
               {}};
}

}  // namespace

Status WriteNewKeyFile(const std::filesystem::path& path, const std::string& data, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return IoError("无法创建文件", path);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == data.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return IoError("无法写入文件", path);
  return {};
}

Status ReplaceKeyFile(const std::filesystem::path& path, const std::string& data, mode_t mode) {
  const std::filesystem::path temp = path.string() + ".new";
  ::unlink(temp.c_str());
  NEMIS_TRY(WriteNewKeyFile(temp, data, mode));
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Error error = IoError("无法写入文件", path);
    ::unlink(temp.c_str());
    return error;
  }
  return {};
}

}  // namespace nemis::exchange
