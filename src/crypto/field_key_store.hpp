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

/// Adds a key generation to the key file at `path` and makes it current: new SM4 and
/// HMAC keys, the same blind-index key (so the indexes stay valid without recomputing
/// them). The older generations stay in the file, to open what they sealed. The file is
/// replaced atomically (written beside it, then renamed), mode 0600.
Result<FieldCipher> RotateFieldKeys(const std::string& path);

}  // namespace nemis::crypto
