#include "audit/checkpoint_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "audit/internal/audit_rows.hpp"
#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/private_directory.hpp"

namespace nemis::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFileName = "audit_checkpoints.jsonl";
constexpr off_t kTailBytes = 64 * 1024;
constexpr size_t kKeyIdHexDigits = 16;

Error IoError(const std::string& what, const std::string& path) {
  return Error{ErrorKind::kInternal,
               "checkpoint_file_io",
               what + " " + path + "：" + std::strerror(errno),
               {}};
}

// Closes a descriptor however the function returns.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string Serialise(const CheckpointInfo& c, std::string_view key_id, bool purge_anchor) {
  nlohmann::ordered_json line = {{"seq", c.seq},
                                 {"entryHash", c.entry_hash},
                                 {"signedAt", c.signed_at},
                                 {"signature", c.signature},
                                 {"keyId", key_id}};
  if (purge_anchor) line["purgeAnchor"] = true;
  return line.dump() + "\n";
}

CheckpointLine Parse(int64_t number, std::string_view text) {
  CheckpointLine line{number, std::nullopt, {}};
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return line;
  auto text_at = [&json](const char* name) -> const std::string* {
    auto it = json.find(name);
    return it != json.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
  };
  auto seq = json.find("seq");
  const std::string* hash = text_at("entryHash");
  const std::string* signed_at = text_at("signedAt");
  const std::string* signature = text_at("signature");
  const std::string* key_id = text_at("keyId");
  if (seq == json.end() || !seq->is_number_integer() || !hash || !signed_at || !signature ||
      !key_id)
    return line;
  line.checkpoint = CheckpointInfo{seq->get<int64_t>(), *hash, *signed_at, *signature};
  line.key_id = *key_id;
  auto anchor = json.find("purgeAnchor");
  line.purge_anchor = anchor != json.end() && anchor->is_boolean() && anchor->get<bool>();
  return line;
}

Status WriteAll(int fd, std::string_view data) {
  for (size_t done = 0; done < data.size();) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::Internal("write failed");
    done += static_cast<size_t>(n);
  }
  return {};
}

// A last line without its newline is what an append interrupted by a crash leaves (it
// was never reported written): cut it off, so that the next line starts on a line.
Status CutTornTail(int fd) {
  off_t end = ::lseek(fd, 0, SEEK_END);
  if (end <= 0) return {};
  char chunk[4096];
  for (off_t pos = end; pos > 0;) {
    off_t from = std::max<off_t>(0, pos - static_cast<off_t>(sizeof chunk));
    ssize_t n = ::pread(fd, chunk, static_cast<size_t>(pos - from), from);
    if (n != pos - from) return Error::Internal("read failed");
    for (ssize_t i = n - 1; i >= 0; --i) {
      if (chunk[i] != '\n') continue;
      off_t keep = from + i + 1;
      return keep == end || ::ftruncate(fd, keep) == 0 ? Status()
                                                       : Error::Internal("truncate failed");
    }
    pos = from;
  }
  return ::ftruncate(fd, 0) == 0 ? Status() : Error::Internal("truncate failed");
}

// A new file's name is only durable once its directory is synced.
Status SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error::Internal("open directory failed");
  Fd closer(fd);
  return ::fsync(fd) == 0 ? Status() : Error::Internal("fsync directory failed");
}

}  // namespace

std::string DefaultCheckpointFile(const std::string& signing_key_file) {
  return (fs::path(signing_key_file).parent_path() / kFileName).string();
}

std::string KeyId(const crypto::Sm2PrivateKey& key) {
  return crypto::ToHex(crypto::Sm3(key.PublicPem())).substr(0, kKeyIdHexDigits);
}

namespace {

// Opens (creating it, mode 0600, in private directories) the file for appending, locked;
// `line` (if any) is appended and fsynced; a new file's directory entry is synced too.
Status AppendLine(const std::string& path, const std::string& line) {
  fs::path target(path);
  if (target.has_parent_path()) NEMIS_TRY(crypto::CreatePrivateDirectories(target.parent_path()));
  bool existed = ::access(path.c_str(), F_OK) == 0;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("无法打开检查点副本文件", path);
  Fd closer(fd);
  if (::flock(fd, LOCK_EX) != 0) return IoError("无法锁定检查点副本文件", path);
  if (!CutTornTail(fd).ok()) return IoError("无法整理检查点副本文件的末行", path);
  if (!WriteAll(fd, line).ok() || ::fsync(fd) != 0) {
    return IoError("无法写入检查点副本文件", path);
  }
  if (!existed && !SyncDirectory(target.parent_path()).ok()) return IoError("无法同步目录", path);
  return {};
}

}  // namespace

Status CheckpointFile::Append(const CheckpointInfo& checkpoint, std::string_view key_id,
                              bool purge_anchor) const {
  return AppendLine(path_, Serialise(checkpoint, key_id, purge_anchor));
}

Status CheckpointFile::Create() const { return AppendLine(path_, ""); }

Result<bool> CheckpointFile::ForEach(
    const std::function<Status(const CheckpointLine&)>& each) const {
  std::error_code ec;
  if (!fs::exists(path_, ec) && !ec) return false;
  std::ifstream in(path_, std::ios::binary);
  if (!in) return IoError("无法读取检查点副本文件", path_);
  std::string text;
  for (int64_t number = 1; std::getline(in, text); ++number) {
    if (in.eof()) break;  // no newline: an interrupted append, never reported written
    NEMIS_TRY(each(Parse(number, text)));
  }
  if (in.bad()) return IoError("无法读取检查点副本文件", path_);
  return true;
}

Result<std::optional<CheckpointInfo>> CheckpointFile::Last(const crypto::Sm2PublicKey& key) const {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<CheckpointInfo>();
    return IoError("无法读取检查点副本文件", path_);
  }
  Fd closer(fd);
  off_t end = ::lseek(fd, 0, SEEK_END);
  off_t from = std::max<off_t>(0, end - kTailBytes);
  std::string tail(static_cast<size_t>(end - from), '\0');
  if (::pread(fd, tail.data(), tail.size(), from) != static_cast<ssize_t>(tail.size())) {
    return IoError("无法读取检查点副本文件", path_);
  }
  // Whole lines only: not the one the tail starts inside, not one without its newline.
  size_t pos = from == 0 ? 0 : tail.find('\n');
  if (pos == std::string::npos) return std::optional<CheckpointInfo>();
  if (from > 0) ++pos;
  std::vector<CheckpointInfo> found;
  for (size_t nl; pos < tail.size() && (nl = tail.find('\n', pos)) != std::string::npos;
       pos = nl + 1) {
    CheckpointLine line = Parse(0, std::string_view(tail).substr(pos, nl - pos));
    if (line.checkpoint) found.push_back(std::move(*line.checkpoint));
  }
  // Highest seq first, checking signatures only until one holds (usually the first).
  std::stable_sort(found.begin(), found.end(),
                   [](const CheckpointInfo& a, const CheckpointInfo& b) { return a.seq > b.seq; });
  for (CheckpointInfo& ck : found) {
    if (internal::SignatureValid(ck, key)) return std::optional<CheckpointInfo>(std::move(ck));
  }
  return std::optional<CheckpointInfo>();
}

}  // namespace nemis::audit
