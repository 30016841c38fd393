// Hex, base64url and base32 by hand: OpenSSL has no base64url or base32, and its base64
// decoder is lenient where tokens need to be strict.
#include "crypto/encoding.hpp"

#include <openssl/crypto.h>

#include <array>
#include <cstdint>

namespace nemis::crypto {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int8_t kInvalid = -1;

// Reverse lookup table for an alphabet: byte -> digit value, or kInvalid.
constexpr std::array<int8_t, 256> ReverseAlphabet(std::string_view alphabet) {
  std::array<int8_t, 256> table{};
  table.fill(kInvalid);
  for (size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

constexpr auto kBase64UrlValues = ReverseAlphabet(kBase64UrlAlphabet);
constexpr auto kBase64Values = ReverseAlphabet(kBase64Alphabet);
constexpr auto kBase32Values = ReverseAlphabet(kBase32Alphabet);

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return kInvalid;
}

// Packs `bits_per_char`-bit digits into bytes, most significant bit first. Returns false
// when a character is not in the alphabet or when the left-over bits are not zero
// (`strict`), so that only canonical encodings decode.
bool UnpackDigits(std::string_view text, const std::array<int8_t, 256>& values, int bits_per_char,
                  bool strict, std::string& out) {
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int8_t v = values[static_cast<unsigned char>(c)];
    if (v == kInvalid) return false;
    buffer = (buffer << bits_per_char) | static_cast<uint32_t>(v);
    bits += bits_per_char;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return !strict || (buffer & ((1u << bits) - 1)) == 0;
}

// Inverse of EncodeBase64Digits (`values`: the standard or the URL alphabet's): whole groups
// of 4 characters at once, the tail as UnpackDigits does it. False for a character outside
// the alphabet or a tail that is not canonical.
bool DecodeBase64Digits(std::string_view text, const std::array<int8_t, 256>& values,
                        std::string& out) {
  out.reserve(out.size() + text.size() * 3 / 4);
  size_t i = 0;
  for (; i + 4 <= text.size(); i += 4) {
    uint32_t group = 0;
    for (int k = 0; k < 4; ++k) {
      const int8_t digit = values[static_cast<unsigned char>(text[i + k])];
      if (digit == kInvalid) return false;
      group = group << 6 | static_cast<uint8_t>(digit);
    }
    const char bytes[] = {static_cast<char>(group >> 16), static_cast<char>((group >> 8) & 0xff),
                          static_cast<char>(group & 0xff)};
    out.append(bytes, 3);
  }
  return UnpackDigits(text.substr(i), values, 6, /*strict=*/true, out);
}

// Inverse of UnpackDigits: emits one alphabet character per `bits_per_char` bits, the
// last one zero-padded on the right; no '=' padding.
std::string PackDigits(std::string_view bytes, std::string_view alphabet, int bits_per_char) {
  std::string out;
  out.reserve((bytes.size() * 8 + bits_per_char - 1) / bits_per_char);
  const uint32_t mask = (1u << bits_per_char) - 1;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= bits_per_char) {
      bits -= bits_per_char;
      out.push_back(alphabet[(buffer >> bits) & mask]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (bits_per_char - bits)) & mask]);
  return out;
}

// Base64 digits of `alphabet` (the standard or the URL one), no padding: whole 3-byte groups
// at once, the tail as PackDigits does it; every sealed record and each exchange batch's
// megabytes go through here (written in place: no copy of the whole text).
std::string EncodeBase64Digits(std::string_view bytes, std::string_view alphabet) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);  // with the padding Base64Encode adds
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                     static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                     static_cast<unsigned char>(bytes[i + 2]);
    const char chars[] = {alphabet[group >> 18], alphabet[(group >> 12) & 63],
                          alphabet[(group >> 6) & 63], alphabet[group & 63]};
    out.append(chars, 4);
  }
  out += PackDigits(bytes.substr(i), alphabet, 6);
  return out;
}

}  // namespace

std::string ToHex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0x0f]);
  }
  return out;
}

Result<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return Error::BadRequest("bad_hex", "十六进制串长度应为偶数");
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = HexValue(hex[i]);
    int low = HexValue(hex[i + 1]);
    if (high == kInvalid || low == kInvalid) {
      return Error::BadRequest("bad_hex",
                               "十六进制串含非法字符（第 " + std::to_string(i + 1) + " 个字符起）");
    }
    out.push_back(static_cast<char>((high << 4) | low));
  }
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  return EncodeBase64Digits(bytes, kBase64UrlAlphabet);
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  // A length of 4k+1 characters would hold 6 bits of a byte: no encoder produces it.
  if (text.size() % 4 == 1) return Error::BadRequest("bad_base64url", "base64url 长度不正确");
  std::string out;
  if (!DecodeBase64Digits(text, kBase64UrlValues, out)) {
    return Error::BadRequest("bad_base64url", "不是规范的 base64url 编码（无填充）");
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out = EncodeBase64Digits(bytes, kBase64Alphabet);
  out.append((4 - out.size() % 4) % 4, '=');
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return Error::BadRequest("bad_base64", "不是规范的 base64 编码");
  while (!text.empty() && text.back() == '=' && text.size() % 4 != 2) text.remove_suffix(1);
  std::string out;
  if (text.size() % 4 == 1 || !DecodeBase64Digits(text, kBase64Values, out)) {
    return Error::BadRequest("bad_base64", "不是规范的 base64 编码");
  }
  return out;
}

std::string Base32Encode(std::string_view bytes) { return PackDigits(bytes, kBase32Alphabet, 5); }

Result<std::string> Base32Decode(std::string_view text) {
  std::string digits;
  digits.reserve(text.size());
  for (char c : text) {
    if (c == ' ') continue;
    digits.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  while (!digits.empty() && digits.back() == '=') digits.pop_back();
  // 1, 3 or 6 characters in the last group of 8 cannot end on a byte boundary.
  size_t tail = digits.size() % 8;
  if (tail == 1 || tail == 3 || tail == 6) {
    return Error::BadRequest("bad_base32", "base32 长度不正确");
  }
  std::string out;
  out.reserve(digits.size() * 5 / 8);
  if (!UnpackDigits(digits, kBase32Values, 5, /*strict=*/false, out)) {
    return Error::BadRequest("bad_base32", "base32 串含非法字符");
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace nemis::crypto
