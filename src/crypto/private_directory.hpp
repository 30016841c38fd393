// Directories for key files: every directory created on the way gets mode 0700, so
// that no other user can even list the keys (existing directories are left alone).
#pragma once

#include <filesystem>

#include "base/result.hpp"

namespace nemis::crypto {

Status CreatePrivateDirectories(const std::filesystem::path& dir);

}  // namespace nemis::crypto
