// The identity of an import file: SHA-256 of its bytes, so that importing the same
// file again is recognised (and resumed, or reported as already imported).
#pragma once

#include <string>

#include "base/result.hpp"

namespace nemis::importer {

/// Lowercase hex SHA-256 of the file's content.
Result<std::string> FileFingerprint(const std::string& path);

}  // namespace nemis::importer
