// A temporary directory (under TestTempRoot()) removed with everything in it when
// the object dies.
#pragma once

#include <filesystem>
#include <string>

namespace nemis::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace nemis::testing
