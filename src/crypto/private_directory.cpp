#include "crypto/private_directory.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace nemis::crypto {

Status CreatePrivateDirectories(const std::filesystem::path& dir) {
  if (dir.empty() || std::filesystem::is_directory(dir)) return {};
  NEMIS_TRY(CreatePrivateDirectories(dir.parent_path()));
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return Error::Internal("无法创建目录 " + dir.string() + "：" + std::strerror(errno));
  return {};
}

}  // namespace nemis::crypto
