// The portal (web/, built by Vite into web/dist) served by `nemis serve` at "/": its
// files straight from disk, for every GET and HEAD that no API route claims (the
// router's fallback). Paths without a file get index.html (the single-page application
// routes itself); hashed assets are cached for a year, everything else revalidated;
// precompressed .br and .gz copies are chosen by Accept-Encoding, nothing is compressed
// on the fly. Every answer carries the portal's Content-Security-Policy.
//
// Files are read per request rather than cached in memory at start: a rebuild of web/
// while the server runs is then picked up at once, and no response mixes two builds
// (each file is one open file read whole). The reads run on the worker pool, like
// every handler that touches the disk.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "http/http.hpp"

namespace nemis::portal {

class Portal {
 public:
  /// `root`: the directory holding index.html and assets/ (need not exist yet).
  explicit Portal(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  /// Whether root/index.html is a regular file (the portal was built).
  bool Built() const;
  /// Answers GET or HEAD for request.path: the file, index.html, 304, 404, or 503 with a
  /// page saying how to build the portal.
  http::Response Serve(const http::Request& request) const;

 private:
  std::filesystem::path root_;
};

/// Installs the portal as the router's fallback (run on the worker pool, public).
void AddPortal(http::Router& router, std::shared_ptr<const Portal> portal);

/// The portal directory for the setting portal.dir: the setting when not empty; else
/// web/dist of the first directory above the binary `executable` that holds web/ (a
/// build tree inside the checkout), else web/dist under `working_dir`.
std::filesystem::path ResolvePortalDir(const std::string& configured,
                                       const std::filesystem::path& executable,
                                       const std::filesystem::path& working_dir);
/// The same for this process (/proc/self/exe and the current directory).
std::filesystem::path ResolvePortalDir(const std::string& configured);

}  // namespace nemis::portal
