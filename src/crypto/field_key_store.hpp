// The node's field keys on disk: a key file outside the database (so that a copy of
// the database alone reveals no personal data), created with owner-only permissions
// on first use.
#pragma once

#include <string>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"

namespace nemis::crypto {

/// Reads the key file at `path`, or creates it (and its directory) with one fresh key
/// generation, mode 0600. Errors name the file and, for a bad file, the line.
Result<FieldCipher> LoadOrCreateFieldKeys(const std::string& path);

}  // namespace nemis::crypto
