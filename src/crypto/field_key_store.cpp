#include "crypto/field_key_store.hpp"

#include "crypto/private_directory.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nemis::crypto {
namespace {

// O_EXCL: two processes starting at once must not both write a key file.
Status CreateKeyFile(const std::string& path) {
  NEMIS_TRY(CreatePrivateDirectories(std::filesystem::path(path).parent_path()));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return {};
    return Error::Internal("无法创建字段密钥文件 " + path + "：" + std::strerror(errno));
  }
  std::string text = "# NEMIS field keys (SM4 + HMAC-SM3). Keep outside the database; back it up separately.\n" +
                     SerializeFieldKeys({FieldKeys::Generate(1)});
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Error::Internal("无法写入字段密钥文件 " + path);
  return {};
}

}  // namespace

Result<FieldCipher> LoadOrCreateFieldKeys(const std::string& path) {
  if (!std::filesystem::exists(path)) NEMIS_TRY(CreateKeyFile(path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Internal("无法读取字段密钥文件 " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto keys = ParseFieldKeys(text.str());
  if (!keys.ok()) return Error::Internal(path + "：" + keys.error().message);
  std::vector<FieldKeys> older(keys->begin() + 1, keys->end());
  return FieldCipher(keys->front(), std::move(older));
}

}  // namespace nemis::crypto
