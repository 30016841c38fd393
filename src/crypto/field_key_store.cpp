#include "crypto/field_key_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/private_directory.hpp"

namespace nemis::crypto {
namespace {

constexpr std::string_view kKeyFileHeader =
    "# NEMIS field keys (SM4 + HMAC-SM3). Keep outside the database; back it up separately.\n";

// O_EXCL: two processes starting at once must not both write a key file.
Status CreateKeyFile(const std::string& path) {
  NEMIS_TRY(CreatePrivateDirectories(std::filesystem::path(path).parent_path()));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return {};
    return Error::Internal("无法创建字段密钥文件 " + path + "：" + std::strerror(errno));
  }
  std::string text = std::string(kKeyFileHeader) + SerializeFieldKeys({FieldKeys::Generate(1)});
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Error::Internal("无法写入字段密钥文件 " + path);
  return {};
}

Result<std::vector<FieldKeys>> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Internal("无法读取字段密钥文件 " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto keys = ParseFieldKeys(text.str());
  if (!keys.ok()) return Error::Internal(path + "：" + keys.error().message);
  return keys;
}

FieldCipher CipherOf(const std::vector<FieldKeys>& keys) {
  return FieldCipher(keys.front(), std::vector<FieldKeys>(keys.begin() + 1, keys.end()));
}

// Writes `text` to a new file beside `path` and renames it over `path`: a crash leaves
// the old file or the new one, never half of one.
Status ReplaceFile(const std::string& path, const std::string& text) {
  std::string temp = path + ".new";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error::Internal("无法写入字段密钥文件 " + temp + "：" + std::strerror(errno));
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::filesystem::remove(temp);
    return Error::Internal("无法写入字段密钥文件 " + path);
  }
  int dir =
      ::open(std::filesystem::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

}  // namespace

Result<FieldCipher> LoadOrCreateFieldKeys(const std::string& path) {
  if (!std::filesystem::exists(path)) NEMIS_TRY(CreateKeyFile(path));
  NEMIS_ASSIGN_OR_RETURN(auto keys, ReadKeyFile(path));
  return CipherOf(keys);
}

Result<FieldCipher> RotateFieldKeys(const std::string& path) {
  NEMIS_ASSIGN_OR_RETURN(auto keys, ReadKeyFile(path));
  FieldKeys next = FieldKeys::Generate(keys.front().version + 1);
  next.index_key = keys.front().index_key;
  keys.insert(keys.begin(), std::move(next));
  NEMIS_TRY(ReplaceFile(path, std::string(kKeyFileHeader) + SerializeFieldKeys(keys)));
  return CipherOf(keys);
}

}  // namespace nemis::crypto
