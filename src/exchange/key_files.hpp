// Writing a node's key and certificate files (node_identity.hpp, node_tls.hpp): whole and on
// disk before anyone is told they exist.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "base/result.hpp"

namespace nemis::exchange {

/// A new file only (O_EXCL: a node's key is never overwritten by mistake), written and
/// fsynced. "key_file_io" (500) naming the file and why.
Status WriteNewKeyFile(const std::filesystem::path& path, const std::string& data, mode_t mode);

/// Written beside (`path` + ".new") and renamed over: a reader sees the old file or the new,
/// never half of one. "key_file_io" as above.
Status ReplaceKeyFile(const std::filesystem::path& path, const std::string& data, mode_t mode);

}  // namespace nemis::exchange
