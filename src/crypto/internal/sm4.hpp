// SM4 (GB/T 32907) primitives used by FieldCipher. Only CTR is used for data; the single
// block function exists so that the standard's own test vector can check the cipher.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nemis::crypto::internal {

inline constexpr size_t kSm4KeyBytes = 16;
inline constexpr size_t kSm4BlockBytes = 16;

/// Encrypts one 16-byte block with a 16-byte key (ECB, no padding).
std::string Sm4EncryptBlock(std::string_view key, std::string_view block);

/// SM4-CTR with a 16-byte key and a 16-byte initial counter block (incremented as one
/// 128-bit big-endian number). Encrypts and decrypts alike; output length = input length.
std::string Sm4Ctr(std::string_view key, std::string_view iv, std::string_view data);

}  // namespace nemis::crypto::internal
