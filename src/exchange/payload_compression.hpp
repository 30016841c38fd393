// A batch payload compressed with zstd before it is sealed (batch_envelope.hpp's format v2):
// the records' JSON shrinks about tenfold, and so does the SM4, HMAC-SM3, SM3 and base64
// work over the sealed bytes on both nodes, a third of a province's CPU serving batches
// (bench/RESULTS.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace nemis::exchange {

/// The most a payload may hold once decompressed: what the largest response a node accepts
/// (512 MiB of base64) could hold uncompressed, so a small batch cannot ask for more memory.
inline constexpr size_t kMaxPayloadBytes = size_t{384} << 20;

/// One zstd frame (level 1: the fastest; it records its content size). No frame checksum:
/// the envelope checks the SM3 of the records once decompressed.
std::string CompressPayload(std::string_view payload);

/// The payload of one frame. "batch_unreadable" (422) when it is not one zstd frame stating
/// its size, states more than `max_bytes`, or does not hold what it states.
Result<std::string> DecompressPayload(std::string_view frame, size_t max_bytes = kMaxPayloadBytes);

}  // namespace nemis::exchange
