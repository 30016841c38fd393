// ECDSA signature forms: OpenSSL makes and checks DER (SEQUENCE { r, s }), JOSE (RFC 7518
// §3.4) carries r || s as fixed-width big-endian numbers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nemis::crypto::internal {

/// DER -> r || s, each left-padded with zeros to `coordinate_bytes`. Throws
/// std::runtime_error on malformed DER or a number too wide (OpenSSL made it, so a
/// failure is a fault, not bad input).
std::string DerToJose(std::string_view der, size_t coordinate_bytes);

/// r || s -> minimal DER; nullopt unless `jose` is exactly 2 * `coordinate_bytes` long.
std::optional<std::string> JoseToDer(std::string_view jose, size_t coordinate_bytes);

}  // namespace nemis::crypto::internal
