// Text encodings of binary data (hex, base64url, base32) and a timing-safe comparison:
// what keys, tokens, tags and TOTP secrets look like outside the process.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace nemis::crypto {

/// Lowercase hex, two characters per byte.
std::string ToHex(std::string_view bytes);
/// Accepts upper and lower case; fails ("bad_hex") on an odd length or a non-hex character.
Result<std::string> FromHex(std::string_view hex);

/// RFC 4648 §5 base64url without padding, as JWTs and JWKs use it.
std::string Base64UrlEncode(std::string_view bytes);
/// Strict inverse of Base64UrlEncode ("bad_base64url"): no padding, no characters outside
/// the alphabet, no impossible length, no non-zero unused bits, so every value has exactly
/// one accepted spelling (a signed token cannot be re-encoded into a second valid form).
Result<std::string> Base64UrlDecode(std::string_view text);
/// Standard base64 (RFC 4648 §4, '+' and '/', '=' padding), as in HTTP Basic credentials.
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

/// RFC 4648 §6 base32, uppercase, no padding: the form authenticator apps take secrets in.
std::string Base32Encode(std::string_view bytes);
/// Lenient, because people type these ("bad_base32"): either case, spaces ignored,
/// trailing '=' padding optional.
Result<std::string> Base32Decode(std::string_view text);

/// Compares in time that depends only on the length (CRYPTO_memcmp), so a MAC or code check
/// does not reveal how many leading bytes matched. Different lengths compare unequal.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace nemis::crypto
