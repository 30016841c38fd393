// The node's audit signing key: an SM2 private key in an unencrypted PKCS#8 PEM file
// (audit.signing_key_file) that only the node's user may read. The matching public key
// verifies checkpoints; keep a copy of it (PublicPem) off the node, so a verifier does
// not have to trust the node's own file.
#pragma once

#include <string>

#include "base/result.hpp"
#include "crypto/sm2.hpp"

namespace nemis::audit {

/// Reads the key at `path`; when the file is missing, generates one and writes it there
/// (mode 0600, missing directories 0700), atomically, so that two processes starting
/// together end up with the same key. Errors: "bad_key_permissions" if group or others
/// may access the file, "bad_key" if it is not an SM2 key, "key_file_io" on I/O failure.
Result<crypto::Sm2PrivateKey> LoadOrCreateSigningKey(const std::string& path);

}  // namespace nemis::audit
