// Identifiers made by a node: UUIDv7 for records without a natural key, and short
// random request ids.
#pragma once

#include <string>

namespace nemis {

/// A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits; sorts by time.
std::string NewUuidV7();

/// 16 lowercase hex characters from a CSPRNG.
std::string NewRequestId();

/// `n` random bytes as lowercase hex, from the OS CSPRNG.
std::string RandomHex(size_t n);

}  // namespace nemis
