#include "http/internal/spool_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/ids.hpp"

namespace nemis::http::internal {

int SpoolFile::Create(const std::string& dir) {
  Remove();
  // A random name with O_EXCL: no guessing, no clobbering another request's file.
  for (int attempt = 0; attempt < 4; ++attempt) {
    std::string path = dir + "/upload-" + RandomHex(12);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      path_ = std::move(path);
      return fd;
    }
    if (errno != EEXIST) return -1;
  }
  return -1;
}

void SpoolFile::Remove() {
  if (path_.empty()) return;
  ::unlink(path_.c_str());
  path_.clear();
}

}  // namespace nemis::http::internal
