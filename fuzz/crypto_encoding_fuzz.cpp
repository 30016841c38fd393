// The text encodings of src/crypto/encoding.hpp that outside input goes through: base64url
// (JWT parts, PKCE challenges, JWK coordinates), base64 (HTTP Basic client credentials),
// base32 (TOTP secrets typed by people), hex; and the JOSE <-> DER signature conversion
// behind ES256 verification. The input is the text to decode. Checks:
// - base64url is strict: what decodes re-encodes to exactly the input (one spelling per
//   value), and encoding then decoding any bytes gives them back; the same for base64;
// - base32 and hex decode what they encode; hex decodes to what re-encodes in lowercase;
// - a 64-byte JOSE signature converts to DER and back unchanged.
#include <algorithm>
#include <string>

#include "crypto/encoding.hpp"
#include "crypto/internal/jose_signature.hpp"
#include "fuzz_check.hpp"

namespace nemis::fuzz {
namespace {

void CheckBase64(std::string_view text) {
  if (auto bytes = crypto::Base64UrlDecode(text); bytes.ok())
    FUZZ_CHECK(crypto::Base64UrlEncode(*bytes) == text, "base64url accepted a second spelling");
  auto back = crypto::Base64UrlDecode(crypto::Base64UrlEncode(text));
  FUZZ_CHECK(back.ok() && *back == text, "base64url round trip");

  if (auto bytes = crypto::Base64Decode(text); bytes.ok())
    FUZZ_CHECK(crypto::Base64Encode(*bytes) == text, "base64 accepted a second spelling");
  back = crypto::Base64Decode(crypto::Base64Encode(text));
  FUZZ_CHECK(back.ok() && *back == text, "base64 round trip");
}

void CheckBase32AndHex(std::string_view text) {
  if (auto bytes = crypto::Base32Decode(text); bytes.ok()) {
    auto again = crypto::Base32Decode(crypto::Base32Encode(*bytes));
    FUZZ_CHECK(again.ok() && *again == *bytes, "base32 re-encoding decodes differently");
  }
  auto back = crypto::Base32Decode(crypto::Base32Encode(text));
  FUZZ_CHECK(back.ok() && *back == text, "base32 round trip");

  if (auto bytes = crypto::FromHex(text); bytes.ok()) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    FUZZ_CHECK(crypto::ToHex(*bytes) == lower, "hex decodes to another value");
  }
  back = crypto::FromHex(crypto::ToHex(text));
  FUZZ_CHECK(back.ok() && *back == text, "hex round trip");
  FUZZ_CHECK(crypto::ConstantTimeEquals(text, text), "a text differs from itself");
}

void CheckJose(std::string_view text) {
  for (size_t at = 0; at + 64 <= text.size() && at < 256; at += 64) {
    std::string_view jose = text.substr(at, 64);
    auto der = crypto::internal::JoseToDer(jose, 32);
    FUZZ_CHECK(der.has_value(), "a 64-byte signature has no DER form");
    FUZZ_CHECK(crypto::internal::DerToJose(*der, 32) == jose, "JOSE -> DER -> JOSE changes it");
  }
  if (text.size() != 64) FUZZ_CHECK(!crypto::internal::JoseToDer(text, 32), "JOSE of a bad length");
}

}  // namespace
}  // namespace nemis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = nemis::fuzz::AsText(data, size);
  nemis::fuzz::CheckBase64(text);
  nemis::fuzz::CheckBase32AndHex(text);
  nemis::fuzz::CheckJose(text);
  return 0;
}
