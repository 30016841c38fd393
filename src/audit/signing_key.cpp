#include "audit/signing_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/encoding.hpp"
#include "crypto/private_directory.hpp"
#include "crypto/random.hpp"

namespace nemis::audit {
namespace {

namespace fs = std::filesystem;

Error IoError(const std::string& what, const std::string& path) {
  return Error{
      ErrorKind::kInternal, "key_file_io", what + " " + path + "：" + std::strerror(errno), {}};
}

Result<crypto::Sm2PrivateKey> Load(const std::string& path, const struct stat& st) {
  if ((st.st_mode & 077) != 0) {
    return Error::BadRequest("bad_key_permissions",
                             "审计签名密钥文件 " + path + " 允许其他用户访问，请执行 chmod 600");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream pem;
  pem << in.rdbuf();
  if (!in) return IoError("无法读取审计签名密钥文件", path);
  auto key = crypto::Sm2PrivateKey::FromPem(pem.str());
  if (!key.ok()) return Error::BadRequest("bad_key", "审计签名密钥文件 " + path + " 不是 SM2 私钥");
  return key;
}

Status WriteAll(int fd, const std::string& data) {
  for (size_t done = 0; done < data.size();) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::Internal("write failed");
    done += static_cast<size_t>(n);
  }
  return {};
}

// Writes a new key to a private temporary file, then links it into place: link() fails
// if another process created the file first, and nobody ever sees a half-written key.
Status CreateKeyFile(const std::string& path) {
  fs::path target(path);
  NEMIS_TRY(crypto::CreatePrivateDirectories(target.parent_path()));
  std::string tmp = path + ".tmp-" + crypto::ToHex(crypto::RandomBytes(8));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("无法创建审计签名密钥文件", tmp);
  Status written = WriteAll(fd, crypto::Sm2PrivateKey::Generate().ToPem());
  bool synced = written.ok() && ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    ::unlink(tmp.c_str());
    return IoError("无法写入审计签名密钥文件", tmp);
  }
  int linked = ::link(tmp.c_str(), path.c_str());
  int link_errno = errno;
  ::unlink(tmp.c_str());
  errno = link_errno;
  if (linked != 0 && link_errno != EEXIST) return IoError("无法创建审计签名密钥文件", path);
  return {};
}

}  // namespace

Result<crypto::Sm2PrivateKey> LoadOrCreateSigningKey(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return IoError("无法访问审计签名密钥文件", path);
    NEMIS_TRY(CreateKeyFile(path));
    if (::stat(path.c_str(), &st) != 0) return IoError("无法访问审计签名密钥文件", path);
  }
  return Load(path, st);
}

}  // namespace nemis::audit
