// FieldKeys::Generate and FieldCipher: the sealed format described in field_cipher.hpp.
#include "crypto/field_cipher.hpp"

#include <stdexcept>
#include <utility>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/internal/sm4.hpp"
#include "crypto/random.hpp"

namespace nemis::crypto {
namespace {

constexpr size_t kVersionOffset = 1;
constexpr size_t kIvOffset = 5;
constexpr size_t kIvBytes = internal::kSm4BlockBytes;
constexpr size_t kCiphertextOffset = kIvOffset + kIvBytes;
constexpr size_t kTagBytes = kSm3Bytes;
static_assert(kSealedOverheadBytes == kCiphertextOffset + kTagBytes);

void AppendBigEndian32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

uint32_t ReadBigEndian32(std::string_view bytes) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

void CheckKeys(const FieldKeys& keys) {
  if (keys.version == 0) throw std::invalid_argument("FieldKeys: version 0 is not a version");
  if (keys.enc_key.size() != kFieldEncKeyBytes || keys.mac_key.size() != kFieldMacKeyBytes ||
      keys.index_key.size() != kFieldIndexKeyBytes) {
    throw std::invalid_argument("FieldKeys v" + std::to_string(keys.version) +
                                ": wrong key length");
  }
}

Error BadCiphertext(std::string message) {
  return Error{ErrorKind::kInternal, "bad_ciphertext", std::move(message), {}};
}

// Stored data and the key list disagree: a server-side fault, not the caller's input.
Error UnknownKeyVersion(uint32_t version) {
  std::string message = "密文使用的密钥版本 v" + std::to_string(version) + " 不在密钥列表中";
  return Error{ErrorKind::kInternal, "unknown_key_version", std::move(message), {}};
}

}  // namespace

FieldKeys FieldKeys::Generate(uint32_t version) {
  if (version == 0) throw std::invalid_argument("FieldKeys: version 0 is not a version");
  return FieldKeys{version, RandomBytes(kFieldEncKeyBytes), RandomBytes(kFieldMacKeyBytes),
                   RandomBytes(kFieldIndexKeyBytes)};
}

FieldCipher::FieldCipher(FieldKeys current, std::vector<FieldKeys> older)
    : current_(std::move(current)), older_(std::move(older)) {
  CheckKeys(current_);
  for (size_t i = 0; i < older_.size(); ++i) {
    CheckKeys(older_[i]);
    bool repeated = older_[i].version == current_.version;
    for (size_t j = 0; j < i; ++j) repeated = repeated || older_[j].version == older_[i].version;
    if (repeated) {
      throw std::invalid_argument("FieldCipher: key version v" + std::to_string(older_[i].version) +
                                  " given twice");
    }
  }
}

std::string FieldCipher::Seal(std::string_view plaintext) const {
  std::string sealed;
  sealed.reserve(kSealedOverheadBytes + plaintext.size());
  sealed.push_back(static_cast<char>(kSealedFormat));
  AppendBigEndian32(sealed, current_.version);
  std::string iv = RandomBytes(kIvBytes);
  sealed += iv;
  sealed += internal::Sm4Ctr(current_.enc_key, iv, plaintext);
  sealed += HmacSm3(current_.mac_key, sealed);
  return sealed;
}

Result<std::string> FieldCipher::Open(std::string_view sealed) const {
  uint32_t version = KeyVersionOf(sealed);
  if (version == 0) return BadCiphertext("密文格式不正确或已被截断");
  const FieldKeys* keys = FindKeys(version);
  if (keys == nullptr) {
    return UnknownKeyVersion(version);
  }
  std::string_view authenticated = sealed.substr(0, sealed.size() - kTagBytes);
  std::string_view tag = sealed.substr(sealed.size() - kTagBytes);
  // Verify before decrypting: CTR output of a forged value must never reach a caller.
  if (!ConstantTimeEquals(HmacSm3(keys->mac_key, authenticated), tag)) {
    return BadCiphertext("密文校验失败（已损坏或被篡改）");
  }
  return internal::Sm4Ctr(keys->enc_key, sealed.substr(kIvOffset, kIvBytes),
                          authenticated.substr(kCiphertextOffset));
}

std::string FieldCipher::BlindIndex(std::string_view plaintext) const {
  return ToHex(HmacSm3(current_.index_key, plaintext));
}

uint32_t FieldCipher::KeyVersionOf(std::string_view sealed) const {
  if (sealed.size() < kSealedOverheadBytes) return 0;
  if (static_cast<unsigned char>(sealed[0]) != kSealedFormat) return 0;
  return ReadBigEndian32(sealed.substr(kVersionOffset, 4));
}

const FieldKeys* FieldCipher::FindKeys(uint32_t version) const {
  if (version == current_.version) return &current_;
  for (const FieldKeys& keys : older_) {
    if (keys.version == version) return &keys;
  }
  return nullptr;
}

}  // namespace nemis::crypto
