#include "identity/totp.hpp"

#include <algorithm>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace nemis::identity {
namespace {

// RFC 4226 section 4, R6: the shared secret must be at least 128 bits.
constexpr size_t kMinSecretBytes = 16;
// How many steps either side of now a code is still accepted (RFC 6238 section 5.2).
constexpr int64_t kDriftSteps = 1;

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

bool IsWellFormedCode(std::string_view code) {
  return code.size() == kTotpDigits && std::all_of(code.begin(), code.end(), IsAsciiDigit);
}

// RFC 3986 unreserved characters stay; every other byte (UTF-8 included) becomes %XX.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

TotpSecret TotpSecret::Generate() { return TotpSecret{crypto::RandomBytes(kTotpSecretBytes)}; }

std::string TotpSecret::Base32() const { return crypto::Base32Encode(key); }

Result<TotpSecret> TotpSecret::FromBase32(std::string_view text) {
  NEMIS_ASSIGN_OR_RETURN(std::string key, crypto::Base32Decode(text));
  if (key.size() < kMinSecretBytes) {
    return Error::BadRequest("totp_secret_too_short", "动态口令密钥过短（至少 128 位）");
  }
  return TotpSecret{std::move(key)};
}

std::string HotpCode(std::string_view key, uint64_t counter, int digits) {
  char message[8];
  for (int i = 7; i >= 0; --i, counter >>= 8) message[i] = static_cast<char>(counter & 0xFF);
  std::string mac = crypto::HmacSha1(key, std::string_view(message, sizeof message));
  // Dynamic truncation: the low nibble of the last byte picks 4 bytes, top bit cleared.
  auto byte = [&mac](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(mac[i]));
  };
  size_t offset = byte(19) & 0x0F;
  uint32_t binary = ((byte(offset) & 0x7F) << 24) | (byte(offset + 1) << 16) |
                    (byte(offset + 2) << 8) | byte(offset + 3);
  // 31 bits never need more than 10 digits; below 1 there is no code.
  digits = std::clamp(digits, 1, 10);
  uint64_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

std::string TotpCode(std::string_view key, int64_t step) {
  // The wrap to unsigned is well defined and matches RFC 6238's 64-bit counter.
  return HotpCode(key, static_cast<uint64_t>(step), kTotpDigits);
}

int64_t TotpStep(std::chrono::system_clock::time_point t) {
  int64_t seconds = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  // Integer division truncates toward zero; step back one for negative remainders.
  int64_t step = seconds / kTotpPeriodSeconds;
  if (seconds % kTotpPeriodSeconds < 0) --step;
  return step;
}

std::optional<int64_t> VerifyTotp(std::string_view key, std::string_view code,
                                  std::chrono::system_clock::time_point now,
                                  int64_t last_used_step) {
  if (!IsWellFormedCode(code)) return std::nullopt;
  int64_t current = TotpStep(now);
  std::optional<int64_t> matched;
  // All candidates are compared (no early exit) so timing does not reveal which step
  // matched; the latest match wins so that a later replay is refused too.
  for (int64_t step = current - kDriftSteps; step <= current + kDriftSteps; ++step) {
    if (step <= last_used_step) continue;
    if (crypto::ConstantTimeEquals(TotpCode(key, step), code)) matched = step;
  }
  return matched;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       const TotpSecret& secret) {
  std::string issuer_encoded = PercentEncode(issuer);
  // The issuer goes both in the label (older apps) and as a parameter (the current format).
  return "otpauth://totp/" + issuer_encoded + ":" + PercentEncode(account) +
         "?secret=" + secret.Base32() + "&issuer=" + issuer_encoded +
         "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpPeriodSeconds);
}

}  // namespace nemis::identity
