#include "identity/recovery_codes.hpp"

#include <set>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

namespace nemis::identity {
namespace {

// 256 is a multiple of 32, so masking a random byte picks every symbol equally often.
static_assert(kRecoveryCodeAlphabet.size() == 32);
constexpr size_t kGroupLength = kRecoveryCodeLength / 2;

std::string RandomCode() {
  std::string bytes = crypto::RandomBytes(kRecoveryCodeLength);
  std::string code;
  code.reserve(kRecoveryCodeLength + 1);
  for (size_t i = 0; i < kRecoveryCodeLength; ++i) {
    if (i == kGroupLength) code += '-';
    code += kRecoveryCodeAlphabet[static_cast<unsigned char>(bytes[i]) & 0x1F];
  }
  return code;
}

// Users copy codes from paper or a screenshot: case, spaces and the hyphen must not matter.
std::string Normalise(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code) {
    if (c == ' ' || c == '\t' || c == '-') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

}  // namespace

std::vector<std::string> GenerateRecoveryCodes(int count) {
  std::vector<std::string> codes;
  std::set<std::string> seen;
  // A repeat among 50-bit codes is all but impossible, but a duplicate would make two
  // printed codes one stored secret, so it is drawn again rather than hoped away.
  while (static_cast<int>(codes.size()) < count) {
    std::string code = RandomCode();
    if (seen.insert(code).second) codes.push_back(std::move(code));
  }
  return codes;
}

std::string RecoveryCodeHash(std::string_view code) {
  // A plain SHA-256 suffices: a code carries 50 random bits, so even a leaked table cannot
  // be brute-forced the way a human-chosen password can; a slow hash (Argon2) would only
  // cost time at every sign-in that tries ten hashes.
  return crypto::ToHex(crypto::Sha256(Normalise(code)));
}

std::optional<size_t> MatchRecoveryCode(std::string_view entered,
                                        const std::vector<std::string>& stored_hashes) {
  if (Normalise(entered).size() != kRecoveryCodeLength) return std::nullopt;
  std::string hash = RecoveryCodeHash(entered);
  std::optional<size_t> match;
  // Every entry is compared so that the time taken does not tell which one matched.
  for (size_t i = 0; i < stored_hashes.size(); ++i) {
    if (crypto::ConstantTimeEquals(hash, stored_hashes[i]) && !match) match = i;
  }
  return match;
}

}  // namespace nemis::identity
