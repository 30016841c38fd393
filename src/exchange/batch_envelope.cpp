#include "exchange/batch_envelope.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <variant>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/field_cipher.hpp"
#include "exchange/flat_json_object.hpp"
#include "exchange/json_writer.hpp"
#include "exchange/payload_compression.hpp"

namespace nemis::exchange {
namespace {

using nlohmann::json;

constexpr uint32_t kBatchKeyVersion = 1;

// Begins with the format's name, so that an envelope's signature holds for its format alone.
std::string SigningText(PayloadEncoding encoding, const BatchHeader& h, std::string_view digest,
                        std::string_view key, std::string_view payload) {
  std::string text(FormatName(encoding));
  for (const std::string& part :
       {h.source, h.receiver, std::to_string(h.after), std::to_string(h.last),
        std::to_string(h.count), h.after_mark, h.last_mark, std::string(digest),
        crypto::ToHex(crypto::Sm3(key)), crypto::ToHex(crypto::Sm3(payload))}) {
    text += '\n';
    text += part;
  }
  return text;
}

Error Refused(const char* code, const char* message) { return Error::Refused(code, message); }

Error Malformed(const std::string& what) {
  return Error::BadRequest("bad_batch", "不是有效的交换批次：" + what);
}

// The batch keys: SM4 and HMAC keys sent; the blind-index key is never used for a batch.
crypto::FieldCipher BatchCipher(std::string_view enc_and_mac) {
  crypto::FieldKeys keys;
  keys.version = kBatchKeyVersion;
  keys.enc_key = std::string(enc_and_mac.substr(0, crypto::kFieldEncKeyBytes));
  keys.mac_key = std::string(enc_and_mac.substr(crypto::kFieldEncKeyBytes));
  keys.index_key = std::string(crypto::kFieldIndexKeyBytes, '\0');
  return crypto::FieldCipher(keys);
}

struct Fields {
  PayloadEncoding encoding = PayloadEncoding::kPlain;
  BatchHeader header;
  std::string key, payload, digest, signature;  // key, payload, signature decoded
};

// The fields of an envelope as its text holds them: key, payload and signature still in base64.
struct EnvelopeText {
  PayloadEncoding encoding = PayloadEncoding::kPlain;
  BatchHeader header;
  std::string_view digest, key, payload, signature;
};

// The envelopes nodes make, read without building the payload's megabytes of base64 a
// character at a time (flat_json_object.hpp). Nullopt for anything else, and for anything
// malformed: the full parse then reads it or says why it cannot.
std::optional<EnvelopeText> ReadEnvelopeText(std::string_view envelope) {
  const auto flat = ReadFlatJsonObject(envelope);
  if (!flat) return std::nullopt;
  const auto text = [&flat](std::string_view key) -> std::optional<std::string_view> {
    const auto it = flat->find(key);
    if (it == flat->end() || !std::holds_alternative<std::string_view>(it->second)) return {};
    return std::get<std::string_view>(it->second);
  };
  const auto number = [&flat](std::string_view key) -> std::optional<int64_t> {
    const auto it = flat->find(key);
    if (it == flat->end() || !std::holds_alternative<int64_t>(it->second)) return {};
    return std::get<int64_t>(it->second);
  };
  const auto format = text("format"), source = text("source"), receiver = text("receiver"),
             after_mark = text("afterMark"), last_mark = text("lastMark"), digest = text("sm3"),
             key = text("key"), payload = text("payload"), signature = text("signature");
  const auto after = number("after"), last = number("last"), count = number("count");
  const auto encoding = format ? EncodingOfFormat(*format) : std::nullopt;
  if (!encoding || !source || !receiver || !after_mark || !last_mark || !digest || !key ||
      !payload || !signature || !after || !last || !count || *after < 0 || *last < *after ||
      *count < 0) {
    return std::nullopt;
  }
  return EnvelopeText{*encoding,
                      {std::string(*source), std::string(*receiver), *after, *last, *count,
                       std::string(*after_mark), std::string(*last_mark)},
                      *digest,
                      *key,
                      *payload,
                      *signature};
}

std::optional<Fields> ReadEnvelopeFast(std::string_view envelope) {
  auto text = ReadEnvelopeText(envelope);
  if (!text) return std::nullopt;
  auto key_bytes = crypto::Base64Decode(text->key);
  auto payload_bytes = crypto::Base64Decode(text->payload);
  auto signature_bytes = crypto::Base64Decode(text->signature);
  if (!key_bytes.ok() || !payload_bytes.ok() || !signature_bytes.ok()) return std::nullopt;
  return Fields{text->encoding,
                std::move(text->header),
                std::move(*key_bytes),
                std::move(*payload_bytes),
                std::string(text->digest),
                std::move(*signature_bytes)};
}

Result<Fields> ParseEnvelope(std::string_view envelope) {
  if (auto fast = ReadEnvelopeFast(envelope)) return std::move(*fast);
  json j = json::parse(envelope, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Malformed("不是 JSON 对象");
  const auto encoding = EncodingOfFormat(j.value("format", ""));
  if (!encoding) {
    return Malformed("格式不是 " + std::string(kBatchFormat) + " 或 " +
                     std::string(kCompressedBatchFormat));
  }
  Fields f;
  f.encoding = *encoding;
  try {
    f.header = {j.at("source").get<std::string>(),  j.at("receiver").get<std::string>(),
                j.at("after").get<int64_t>(),       j.at("last").get<int64_t>(),
                j.at("count").get<int64_t>(),       j.at("afterMark").get<std::string>(),
                j.at("lastMark").get<std::string>()};
    f.digest = j.at("sm3").get<std::string>();
    auto key = crypto::Base64Decode(j.at("key").get<std::string>());
    auto payload = crypto::Base64Decode(j.at("payload").get<std::string>());
    auto signature = crypto::Base64Decode(j.at("signature").get<std::string>());
    if (!key.ok() || !payload.ok() || !signature.ok()) return Malformed("base64 编码有误");
    f.key = std::move(*key);
    f.payload = std::move(*payload);
    f.signature = std::move(*signature);
  } catch (const json::exception& e) {
    return Malformed(std::string("缺少或错误的字段（") + e.what() + "）");
  }
  if (f.header.after < 0 || f.header.last < f.header.after || f.header.count < 0) {
    return Malformed("序号范围无效");
  }
  return f;
}

}  // namespace

std::string_view FormatName(PayloadEncoding encoding) {
  return encoding == PayloadEncoding::kZstd ? kCompressedBatchFormat : kBatchFormat;
}

std::optional<PayloadEncoding> EncodingOfFormat(std::string_view format) {
  if (format == kBatchFormat) return PayloadEncoding::kPlain;
  if (format == kCompressedBatchFormat) return PayloadEncoding::kZstd;
  return std::nullopt;
}

std::string SealBatch(const BatchHeader& header, std::string_view payload,
                      const crypto::Sm2PrivateKey& source_key,
                      const crypto::Sm2PublicKey& receiver_key, PayloadEncoding encoding) {
  const crypto::FieldKeys keys = crypto::FieldKeys::Generate(kBatchKeyVersion);
  const std::string key = receiver_key.Encrypt(keys.enc_key + keys.mac_key);
  const crypto::FieldCipher cipher = BatchCipher(keys.enc_key + keys.mac_key);
  const std::string sealed = encoding == PayloadEncoding::kZstd
                                 ? cipher.Seal(CompressPayload(payload))
                                 : cipher.Seal(payload);
  const std::string digest = crypto::ToHex(crypto::Sm3(payload));
  const std::string signature = source_key.Sign(SigningText(encoding, header, digest, key, sealed));
  // Written as the DOM would dump it (keys in order), without building its megabytes of
  // payload a character at a time.
  std::string out = "{";
  const auto put_number = [&out](std::string_view name, int64_t value) {
    if (out.size() > 1) out += ',';
    AppendJsonKey(out, name);
    AppendJsonInteger(out, value);
  };
  const auto put_text = [&out](std::string_view name, std::string_view value) {
    if (out.size() > 1) out += ',';
    AppendJsonKey(out, name);
    if (!AppendJsonString(out, value)) {
      throw std::invalid_argument("batch header " + std::string(name) + " is not UTF-8");
    }
  };
  put_number("after", header.after);
  put_text("afterMark", header.after_mark);
  put_number("count", header.count);
  put_text("format", FormatName(encoding));
  put_text("key", crypto::Base64Encode(key));
  put_number("last", header.last);
  put_text("lastMark", header.last_mark);
  put_text("payload", crypto::Base64Encode(sealed));
  put_text("receiver", header.receiver);
  put_text("signature", crypto::Base64Encode(signature));
  put_text("sm3", digest);
  put_text("source", header.source);
  out += '}';
  return out;
}

Result<BatchHeader> PeekBatchHeader(std::string_view envelope) {
  // The header alone: the payload's base64 is decoded when the batch is opened.
  if (auto text = ReadEnvelopeText(envelope)) return std::move(text->header);
  NEMIS_ASSIGN_OR_RETURN(Fields f, ParseEnvelope(envelope));
  return f.header;
}

Result<OpenedBatch> OpenBatch(std::string_view envelope, std::string_view receiver_code,
                              const crypto::Sm2PublicKey& source_key,
                              const crypto::Sm2PrivateKey& receiver_key) {
  NEMIS_ASSIGN_OR_RETURN(Fields f, ParseEnvelope(envelope));
  if (f.header.receiver != receiver_code) {
    return Refused("batch_wrong_receiver", "该批次不是发给本节点的");
  }
  if (!source_key.Verify(SigningText(f.encoding, f.header, f.digest, f.key, f.payload),
                         f.signature)) {
    return Refused("batch_signature_invalid",
                   "批次签名无效：内容在传输中被改动，或不是由发送节点签发的");
  }
  auto keys = receiver_key.Decrypt(f.key);
  if (!keys.ok() || keys->size() != crypto::kFieldEncKeyBytes + crypto::kFieldMacKeyBytes) {
    return Refused("batch_unreadable", "无法用本节点的私钥打开该批次");
  }
  auto payload = BatchCipher(*keys).Open(f.payload);
  if (!payload.ok()) return Refused("batch_unreadable", "批次内容无法解密");
  if (f.encoding == PayloadEncoding::kZstd) {
    payload = DecompressPayload(*payload);
    if (!payload.ok()) return std::move(payload).error();
  }
  if (crypto::ToHex(crypto::Sm3(*payload)) != f.digest) {
    return Refused("batch_digest_mismatch", "批次内容的 SM3 摘要与签名中的不一致");
  }
  return OpenedBatch{f.header, std::move(*payload), std::move(f.digest)};
}

}  // namespace nemis::exchange
