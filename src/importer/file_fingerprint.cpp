#include "importer/file_fingerprint.hpp"

#include <cstdio>
#include <memory>
#include <vector>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"

namespace nemis::importer {

Result<std::string> FileFingerprint(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return Error::BadRequest("file_unreadable", "无法读取文件 " + path);
  crypto::Sha256Hasher digest;
  std::vector<char> buf(1 << 20);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), file.get())) > 0)
    digest.Update({buf.data(), n});
  if (std::ferror(file.get()))
    return Error::BadRequest("file_unreadable", "读取文件 " + path + " 时出错");
  return crypto::ToHex(digest.Finish());
}

}  // namespace nemis::importer
