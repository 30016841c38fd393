// A uniquely named file that holds an upload's body while its handler runs; it is
// removed when the object dies, so an upload never outlives its request.
#pragma once

#include <string>

namespace nemis::http::internal {

class SpoolFile {
 public:
  SpoolFile() = default;
  ~SpoolFile() { Remove(); }
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  /// Creates a new file (mode 0600: uploads hold personal data) in `dir` and
  /// returns its descriptor for writing, or -1.
  int Create(const std::string& dir);
  void Remove();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace nemis::http::internal
