// Encryption at rest for personal data (ID numbers, G-type student numbers, phones,
// addresses): SM4-CTR with an HMAC-SM3 tag, encrypt-then-MAC, because OpenSSL 3.0 has no
// SM4-GCM. A blind index (keyed HMAC) makes equality search possible without decrypting.
//
// Sealed value (binary, 53 + n bytes for an n-byte plaintext):
//   offset 0        1 byte   format, currently 1
//   offset 1        4 bytes  key version, big-endian
//   offset 5        16 bytes random IV (SM4-CTR initial counter block)
//   offset 21       n bytes  ciphertext
//   offset 21 + n   32 bytes HMAC-SM3(mac_key, bytes 0 .. 21 + n)
// The tag covers format, version and IV too, so none of them can be changed unnoticed.
// A sealed value is not bound to its row or column: the caller must not let one record's
// ciphertext be presented as another's (e.g. keep access control on the row itself).
//
// Key rotation: add a key with a higher version and make it current; values sealed with
// older keys still open as long as those keys stay in the list, and can be re-sealed at
// leisure. The blind index always uses the CURRENT index_key, so changing index_key means
// recomputing every blind-index column (keep index_key when rotating only enc/mac keys).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace nemis::crypto {

inline constexpr uint8_t kSealedFormat = 1;
inline constexpr size_t kFieldEncKeyBytes = 16;
inline constexpr size_t kFieldMacKeyBytes = 32;
inline constexpr size_t kFieldIndexKeyBytes = 32;
/// Sealed size minus plaintext size: format + version + IV + tag.
inline constexpr size_t kSealedOverheadBytes = 1 + 4 + 16 + 32;
/// Length of BlindIndex's result (hex of an HMAC-SM3).
inline constexpr size_t kBlindIndexChars = 64;

/// One generation of field keys. Versions start at 1 (0 marks "no version").
struct FieldKeys {
  uint32_t version = 0;
  std::string enc_key;    // 16 bytes: SM4
  std::string mac_key;    // 32 bytes: HMAC-SM3 tag
  std::string index_key;  // 32 bytes: HMAC-SM3 blind index

  /// Fresh random keys. Throws std::invalid_argument for version 0.
  static FieldKeys Generate(uint32_t version);
  bool operator==(const FieldKeys&) const = default;
};

class FieldCipher {
 public:
  /// Seals with `current`; opens values sealed with `current` or any of `older`. Throws
  /// std::invalid_argument for a version 0, a wrong key size or a repeated version: keys
  /// come from Generate or ParseFieldKeys, which never produce those.
  explicit FieldCipher(FieldKeys current, std::vector<FieldKeys> older = {});

  /// Encrypts with the current keys and a fresh random IV (sealing twice differs).
  std::string Seal(std::string_view plaintext) const;
  /// Checks the tag (in constant time) before decrypting. Errors: "bad_ciphertext"
  /// (truncated, unknown format, wrong tag) and "unknown_key_version".
  Result<std::string> Open(std::string_view sealed) const;
  /// Lowercase hex HMAC-SM3 of `plaintext` under the current index key, 64 characters.
  /// Normalise first (e.g. uppercase the X of an ID number) so equal values match.
  std::string BlindIndex(std::string_view plaintext) const;
  /// The key version a sealed value names, or 0 if it is too short or of another format.
  /// Does not check the tag.
  uint32_t KeyVersionOf(std::string_view sealed) const;

  uint32_t CurrentVersion() const { return current_.version; }

 private:
  const FieldKeys* FindKeys(uint32_t version) const;

  FieldKeys current_;
  std::vector<FieldKeys> older_;
};

/// The key file: `#` comments and blank lines, then one key per line,
/// `v<version> <hex enc_key> <hex mac_key> <hex index_key>`. Written newest first.
std::string SerializeFieldKeys(const std::vector<FieldKeys>& keys);
/// Parses a key file; the result is sorted newest first, so front() is the current key
/// and the rest are the older ones: FieldCipher(keys.front(), {keys.begin() + 1, ...}).
/// Errors ("bad_key_file") name the line: wrong field count, bad version, bad hex, wrong
/// key length, repeated version; a file without keys is an error too.
Result<std::vector<FieldKeys>> ParseFieldKeys(std::string_view text);

}  // namespace nemis::crypto
