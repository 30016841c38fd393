#include "portal/portal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <utility>

#include "base/log.hpp"
#include "portal/static_files.hpp"

namespace nemis::portal {
namespace {

// Larger files are refused: a response is held whole in memory. Vite's chunks are far
// below this (the budget is 300 KB gzip for the first page).
constexpr off_t kMaxFileBytes = 64 * 1024 * 1024;

constexpr std::string_view kNotBuiltPage =
    "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>NEMIS 门户尚未构建</title>\n</head>\n<body>\n<h1>门户尚未构建</h1>\n"
    "<p>服务器没有找到构建好的门户页面（web/dist/index.html）。请在源码目录运行：</p>\n"
    "<pre>cd web &amp;&amp; npm ci &amp;&amp; npm run build</pre>\n"
    "<p>（<code>./scripts/run</code> 会自动完成），然后刷新本页，无需重启服务器。"
    "接口仍可使用，说明见 <a href=\"/api/docs\">/api/docs</a>。</p>\n</body>\n</html>\n";

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

struct OpenFile {
  Fd fd;
  struct stat st {};
};

// Opens a regular file below the root, one component at a time with O_NOFOLLOW: a
// symbolic link anywhere below the root is refused, so nothing outside it is reached.
// O_NONBLOCK keeps a FIFO from blocking the open; only regular files are kept.
std::optional<OpenFile> OpenUnder(int root, std::string_view relative) {
  Fd dir;
  int at = root;
  while (true) {
    size_t slash = relative.find('/');
    std::string name(relative.substr(0, slash));
    if (slash == std::string_view::npos) {
      OpenFile file{Fd(::openat(at, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC))};
      if (!file.fd.valid() || ::fstat(file.fd.get(), &file.st) != 0 || !S_ISREG(file.st.st_mode))
        return std::nullopt;
      return file;
    }
    dir = Fd(::openat(at, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir.valid()) return std::nullopt;
    at = dir.get();
    relative.remove_prefix(slash + 1);
  }
}

bool ReadWhole(const OpenFile& file, std::string* out) {
  if (file.st.st_size > kMaxFileBytes) return false;
  out->resize(static_cast<size_t>(file.st.st_size));
  size_t done = 0;
  while (done < out->size()) {
    ssize_t n =
        ::pread(file.fd.get(), out->data() + done, out->size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;  // truncated meanwhile (a rebuild): send what the file holds
    done += static_cast<size_t>(n);
  }
  out->resize(done);
  return true;
}

http::Response WithSecurityHeaders(http::Response r) {
  r.SetHeader("Content-Security-Policy", std::string(kContentSecurityPolicy));
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Referrer-Policy", "same-origin");
  r.SetHeader("X-Frame-Options", "DENY");
  return r;
}

http::Response Plain(int status, std::string body) {
  http::Response r{
      .status = status, .content_type = "text/plain; charset=utf-8", .body = std::move(body)};
  r.SetHeader("Cache-Control", "no-store");
  return WithSecurityHeaders(std::move(r));
}

http::Response NotFound() { return Plain(404, "404 未找到该文件\n"); }

http::Response NotBuilt() {
  http::Response r{.status = 503,
                   .content_type = "text/html; charset=utf-8",
                   .body = std::string(kNotBuiltPage)};
  r.SetHeader("Cache-Control", "no-store");
  return WithSecurityHeaders(std::move(r));
}

int64_t MtimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// The precompressed copy the client prefers among those present; nullopt: none is
// acceptable (identity refused and no copy it takes).
std::optional<std::pair<Coding, OpenFile>> PickCoding(int root, const std::string& relative,
                                                      OpenFile identity,
                                                      const http::Request& request) {
  for (Coding coding : PreferredCodings(ParseAcceptEncoding(request.Header("Accept-Encoding")))) {
    if (coding == Coding::kIdentity) return std::make_pair(coding, std::move(identity));
    if (auto copy = OpenUnder(root, relative + std::string(CodingSuffix(coding))))
      return std::make_pair(coding, std::move(*copy));
  }
  return std::nullopt;
}

http::Response FileResponse(int root, const std::string& relative, OpenFile file,
                            const http::Request& request) {
  auto picked = PickCoding(root, relative, std::move(file), request);
  if (!picked) return Plain(406, "406 客户端不接受任何可用的内容编码\n");
  auto& [coding, chosen] = *picked;
  http::Response r{.status = 200, .content_type = std::string(ContentType(relative))};
  r.SetHeader("Cache-Control", std::string(CacheControl(relative)));
  r.SetHeader("Vary", "Accept-Encoding");
  std::string etag = MakeETag(static_cast<uint64_t>(chosen.st.st_size), MtimeNs(chosen.st),
                              static_cast<uint64_t>(chosen.st.st_ino), coding);
  r.SetHeader("ETag", etag);
  if (coding != Coding::kIdentity) r.SetHeader("Content-Encoding", std::string(CodingName(coding)));
  if (auto tags = request.Header("If-None-Match"); tags && ETagMatches(*tags, etag)) {
    r.status = 304;
    return WithSecurityHeaders(std::move(r));
  }
  if (!ReadWhole(chosen, &r.body)) {
    log::Warn("portal_file_unreadable", {{"file", relative}, {"bytes", chosen.st.st_size}});
    return NotFound();
  }
  return WithSecurityHeaders(std::move(r));
}

}  // namespace

Portal::Portal(std::filesystem::path root) : root_(std::move(root)) {}

bool Portal::Built() const {
  struct stat st {};
  return ::stat((root_ / "index.html").c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

http::Response Portal::Serve(const http::Request& request) const {
  std::optional<std::string> relative = NormalizePath(request.path);
  if (!relative) return NotFound();
  Fd root(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) return NotBuilt();
  std::optional<OpenFile> index = OpenUnder(root.get(), "index.html");
  if (!index) return NotBuilt();
  if (relative->empty() || *relative == "index.html")
    return FileResponse(root.get(), "index.html", std::move(*index), request);
  if (auto file = OpenUnder(root.get(), *relative))
    return FileResponse(root.get(), *relative, std::move(*file), request);
  // A missing hashed asset is an error (a stale page must see it fail), never the page.
  if (IsAsset(*relative)) return NotFound();
  return FileResponse(root.get(), "index.html", std::move(*index), request);
}

void AddPortal(http::Router& router, std::shared_ptr<const Portal> portal) {
  router.SetFallback(
      [portal = std::move(portal)](http::Request& request) { return portal->Serve(request); },
      {.access = "public"});
}

std::filesystem::path ResolvePortalDir(const std::string& configured,
                                       const std::filesystem::path& executable,
                                       const std::filesystem::path& working_dir) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  // A build directory sits a few levels below the checkout (build/src/cli/nemis).
  constexpr int kLevels = 6;
  std::filesystem::path dir = executable.parent_path();
  for (int i = 0; i < kLevels && !dir.empty(); ++i) {
    if (std::filesystem::is_directory(dir / "web", ec)) return dir / "web" / "dist";
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  return working_dir / "web" / "dist";
}

std::filesystem::path ResolvePortalDir(const std::string& configured) {
  std::error_code ec;
  std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::filesystem::path working_dir = std::filesystem::current_path(ec);
  return ResolvePortalDir(configured, executable, working_dir);
}

}  // namespace nemis::portal
