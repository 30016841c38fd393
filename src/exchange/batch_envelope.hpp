// A change batch as it travels between nodes, online or in an offline bundle: its records
// (JSON) sealed for the receiving node and signed by the source.
//
//   payload   SM4-CTR + HMAC-SM3 (crypto/field_cipher.hpp) under fresh keys for this batch
//   key       those keys (16 + 32 bytes), SM2-encrypted with the receiver's public key
//   sm3       SM3 of the payload in clear, checked after opening it
//   signature SM2 (SM3, GM/T 0009 ID) by the source over the format, source, receiver, after,
//             last, count, sm3 and the SM3 of key and payload as sent (SigningText)
//
// So only the receiver reads it, a change of any byte is refused before anything is
// opened, and a batch cannot be replayed as another range or to another node.
//
// Format v2 is v1 with the payload compressed (payload_compression.hpp) before it is sealed;
// sm3 is still that of the records in clear. A receiver asks for v2 (the changes route's
// `format`); a node that does not know v2 refuses it by its format, never misreads it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/sm2.hpp"

namespace nemis::exchange {

inline constexpr std::string_view kBatchFormat = "nemis.exchange.batch.v1";
inline constexpr std::string_view kCompressedBatchFormat = "nemis.exchange.batch.v2";

enum class PayloadEncoding : uint8_t { kPlain, kZstd };  // v1, v2

/// The encoding of the envelope format named `format`; nullopt for a format not known here.
std::optional<PayloadEncoding> EncodingOfFormat(std::string_view format);
std::string_view FormatName(PayloadEncoding encoding);

struct BatchHeader {
  std::string source;    // the source node's code
  std::string receiver;  // the receiving node's code
  int64_t after = 0;     // the batch holds the source's changes after this sequence ...
  int64_t last = 0;      // ... up to and including this one
  int64_t count = 0;     // records in the payload
  // The source's fingerprints of its changes `after` and `last` (change_reader.hpp): the
  // receiver checks the first against the one it kept with its checkpoint, so a source whose
  // log is no longer the one applied (restored from an older backup) is noticed.
  std::string after_mark, last_mark;
  bool operator==(const BatchHeader&) const = default;
};

/// The envelope (one line of JSON) of `payload` for `receiver_key`, signed with `source_key`.
std::string SealBatch(const BatchHeader& header, std::string_view payload,
                      const crypto::Sm2PrivateKey& source_key,
                      const crypto::Sm2PublicKey& receiver_key,
                      PayloadEncoding encoding = PayloadEncoding::kPlain);

/// The header as the envelope states it, unverified: to choose the source's key, or where the
/// next batch starts. "bad_batch" when it is not an envelope of this format; the key, payload
/// and signature are not decoded here (OpenBatch refuses them when they are not base64).
Result<BatchHeader> PeekBatchHeader(std::string_view envelope);

struct OpenedBatch {
  BatchHeader header;
  std::string payload;
  std::string digest;  // hex SM3 of the payload
};

/// Verifies and opens an envelope addressed to `receiver_code`. Refusals (422):
/// "bad_batch" (malformed), "batch_wrong_receiver", "batch_signature_invalid" (changed in
/// transit or not signed by `source_key`), "batch_unreadable" (not sealed for
/// `receiver_key`, or a v2 payload that does not decompress), "batch_digest_mismatch".
Result<OpenedBatch> OpenBatch(std::string_view envelope, std::string_view receiver_code,
                              const crypto::Sm2PublicKey& source_key,
                              const crypto::Sm2PrivateKey& receiver_key);

}  // namespace nemis::exchange
