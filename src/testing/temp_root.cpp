#include "testing/temp_root.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>

namespace nemis::testing {
namespace {

constexpr const char* kVariable = "NEMIS_TEST_TMPDIR";
constexpr const char* kShm = "/dev/shm";
// Containers often give /dev/shm only 64 MiB; a test cluster alone takes ~40 MiB.
constexpr unsigned long long kMinShmBytes = 2ULL << 30;

bool ShmHasRoom() {
  struct statvfs st {};
  if (statvfs(kShm, &st) != 0 || access(kShm, W_OK) != 0) return false;
  return static_cast<unsigned long long>(st.f_bavail) * st.f_frsize >= kMinShmBytes;
}

std::filesystem::path Choose() {
  if (const char* dir = std::getenv(kVariable); dir != nullptr && *dir != '\0') return dir;
  if (ShmHasRoom()) return kShm;
  return std::filesystem::temp_directory_path();
}

}  // namespace

const std::filesystem::path& TestTempRoot() {
  static const std::filesystem::path root = Choose();
  return root;
}

}  // namespace nemis::testing
