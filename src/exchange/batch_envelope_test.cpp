// Batch envelopes: a sealed batch opens for its receiver with the same header, payload and
// SM3 digest and never shows the payload in clear; its header can be read unverified; a
// change to any signed field, key or payload is refused as a bad signature; the wrong
// receiver, source key or private key is refused; malformed envelopes are "bad_batch".
#include "exchange/batch_envelope.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::exchange {
namespace {

using nlohmann::json;

const BatchHeader kHeader{"440000", "000000", 10, 25, 2, "a1b2", "c3d4"};
const std::string kPayload = "{\"records\":[\"王小明\",\"𠮷\"]}";

struct Nodes {
  crypto::Sm2PrivateKey source = crypto::Sm2PrivateKey::Generate();
  crypto::Sm2PrivateKey receiver = crypto::Sm2PrivateKey::Generate();
  std::string Seal(const BatchHeader& header = kHeader,
                   const std::string& payload = kPayload) const {
    return SealBatch(header, payload, source, receiver.PublicKey());
  }
  Result<OpenedBatch> Open(const std::string& envelope,
                           std::string_view receiver_code = "000000") const {
    return OpenBatch(envelope, receiver_code, source.PublicKey(), receiver);
  }
};

// The envelope with one change made to its JSON.
std::string Edited(const std::string& envelope, const std::function<void(json&)>& edit) {
  json j = json::parse(envelope);
  edit(j);
  return j.dump();
}

// The base64 field re-encoded with one byte of its decoded bytes flipped.
void FlipByteOf(json& j, const char* field) {
  Result<std::string> bytes = crypto::Base64Decode(j.at(field).get<std::string>());
  ASSERT_OK(bytes);
  ASSERT_FALSE(bytes->empty());
  (*bytes)[bytes->size() / 2] ^= 0x01;
  j[field] = crypto::Base64Encode(*bytes);
}

TEST(BatchEnvelopeTest, RoundTripKeepsHeaderPayloadAndDigest) {
  Nodes nodes;
  std::string envelope = nodes.Seal();
  Result<OpenedBatch> opened = nodes.Open(envelope);
  ASSERT_OK(opened);
  EXPECT_EQ(opened->header, kHeader);
  EXPECT_EQ(opened->payload, kPayload);
  EXPECT_EQ(opened->digest, crypto::ToHex(crypto::Sm3(kPayload)));
  EXPECT_EQ(opened->digest.size(), 2 * crypto::kSm3Bytes);
  // Sealed, not merely encoded: the records never appear in clear.
  EXPECT_EQ(envelope.find("王小明"), std::string::npos);
  EXPECT_EQ(envelope.find("𠮷"), std::string::npos);
  EXPECT_EQ(envelope.find("records"), std::string::npos);
  // Fresh keys every time.
  EXPECT_NE(nodes.Seal(), envelope);
}

TEST(BatchEnvelopeTest, TheEnvelopeIsTheJsonObjectTheDomWrites) {
  Nodes nodes;
  const BatchHeader odd{"44\"00", "000000", 0, 7, 1, "", "quote\"and\\"};
  const std::string envelope = nodes.Seal(odd);
  EXPECT_EQ(json::parse(envelope).dump(), envelope);
  EXPECT_EQ(json::parse(envelope).at("afterMark"), "");
  EXPECT_EQ(json::parse(envelope).at("source"), "44\"00");
}

// v2: the payload compressed before it is sealed; the digest is still that of the records.
TEST(BatchEnvelopeTest, CompressedRoundTripKeepsHeaderPayloadAndDigest) {
  Nodes nodes;
  std::string records = "{\"records\":[";
  for (int i = 0; i < 2000; ++i)
    records += R"({"entity":"student","seq":)" + std::to_string(i) + "},";
  records.back() = ']';
  records += '}';
  const std::string plain = SealBatch(kHeader, records, nodes.source, nodes.receiver.PublicKey());
  const std::string compressed =
      SealBatch(kHeader, records, nodes.source, nodes.receiver.PublicKey(), PayloadEncoding::kZstd);
  EXPECT_EQ(json::parse(compressed).at("format"), "nemis.exchange.batch.v2");
  EXPECT_LT(compressed.size() * 5, plain.size());
  for (const std::string& envelope : {plain, compressed}) {
    Result<OpenedBatch> opened = nodes.Open(envelope);
    ASSERT_OK(opened);
    EXPECT_EQ(opened->header, kHeader);
    EXPECT_EQ(opened->payload, records);
    EXPECT_EQ(opened->digest, crypto::ToHex(crypto::Sm3(records)));
    EXPECT_THAT(PeekBatchHeader(envelope), testing::IsOk());
  }
  // Read as plain, a compressed payload is not what was signed.
  std::string relabelled = Edited(compressed, [](json& j) { j["format"] = kBatchFormat; });
  EXPECT_THAT(nodes.Open(relabelled), testing::IsErrorCode("batch_signature_invalid"));
  EXPECT_OK(nodes.Open(
      SealBatch(kHeader, "", nodes.source, nodes.receiver.PublicKey(), PayloadEncoding::kZstd)));
}

TEST(BatchEnvelopeTest, EmptyPayloadRoundTrips) {
  Nodes nodes;
  const BatchHeader empty{"440000", "000000", 25, 25, 0, "c3d4", "c3d4"};
  Result<OpenedBatch> opened = nodes.Open(nodes.Seal(empty, ""));
  ASSERT_OK(opened);
  EXPECT_EQ(opened->header, empty);
  EXPECT_EQ(opened->header.count, 0);
  EXPECT_EQ(opened->payload, "");
  EXPECT_EQ(opened->digest, crypto::ToHex(crypto::Sm3("")));
}

TEST(BatchEnvelopeTest, PeekReadsTheHeaderWithoutKeys) {
  Nodes nodes;
  std::string envelope = nodes.Seal();
  Result<BatchHeader> header = PeekBatchHeader(envelope);
  ASSERT_OK(header);
  EXPECT_EQ(*header, kHeader);

  EXPECT_THAT(PeekBatchHeader("not json"), testing::IsErrorCode("bad_batch"));
  EXPECT_THAT(PeekBatchHeader("{}"), testing::IsErrorCode("bad_batch"));
  EXPECT_THAT(
      PeekBatchHeader(Edited(envelope, [](json& j) { j["format"] = "nemis.exchange.batch.v3"; })),
      testing::IsErrorCode("bad_batch"));
  EXPECT_EQ(nodes.Open(Edited(envelope, [](json& j) { j["format"] = "v1"; })).error().message,
            "不是有效的交换批次：格式不是 nemis.exchange.batch.v1 或 nemis.exchange.batch.v2");
}

TEST(BatchEnvelopeTest, AnyChangedFieldBreaksTheSignature) {
  Nodes nodes;
  std::string envelope = nodes.Seal();
  ASSERT_OK(nodes.Open(envelope));
  const std::vector<std::pair<std::string, std::function<void(json&)>>> edits = {
      {"source", [](json& j) { j["source"] = "450000"; }},
      {"after", [](json& j) { j["after"] = 9; }},
      {"last", [](json& j) { j["last"] = 26; }},
      {"count", [](json& j) { j["count"] = 3; }},
      {"afterMark", [](json& j) { j["afterMark"] = "ffff"; }},
      {"lastMark", [](json& j) { j["lastMark"] = ""; }},
      {"sm3",
       [](json& j) {
         std::string digest = j.at("sm3").get<std::string>();
         digest[0] = digest[0] == '0' ? '1' : '0';
         j["sm3"] = digest;
       }},
      {"key", [](json& j) { FlipByteOf(j, "key"); }},
      {"payload", [](json& j) { FlipByteOf(j, "payload"); }},
      // Read as compressed, a plain payload would not decompress; the signature says first.
      {"format", [](json& j) { j["format"] = kCompressedBatchFormat; }},
  };
  const std::string unchanged = Edited(envelope, [](json&) {});
  for (const auto& [field, edit] : edits) {
    SCOPED_TRACE(field);
    std::string changed = Edited(envelope, edit);
    ASSERT_NE(changed, unchanged);
    EXPECT_THAT(nodes.Open(changed), testing::IsErrorCode("batch_signature_invalid"));
  }
  // A changed receiver, opened by the node it now names, is still not what was signed.
  std::string readdressed = Edited(envelope, [](json& j) { j["receiver"] = "110000"; });
  EXPECT_THAT(nodes.Open(readdressed, "110000"), testing::IsErrorCode("batch_signature_invalid"));
}

TEST(BatchEnvelopeTest, WrongReceiverSourceOrPrivateKeyIsRefused) {
  Nodes nodes;
  std::string envelope = nodes.Seal();
  EXPECT_THAT(nodes.Open(envelope, "110000"), testing::IsErrorCode("batch_wrong_receiver"));

  crypto::Sm2PrivateKey other = crypto::Sm2PrivateKey::Generate();
  EXPECT_THAT(OpenBatch(envelope, "000000", other.PublicKey(), nodes.receiver),
              testing::IsErrorCode("batch_signature_invalid"));
  // Signature right, but sealed for another node's key.
  EXPECT_THAT(OpenBatch(envelope, "000000", nodes.source.PublicKey(), other),
              testing::IsErrorCode("batch_unreadable"));
}

// Another writer's JSON: indented (read on the fast path), or with its slashes escaped, as
// JSON allows (read by the full parser): the same batch either way.
TEST(BatchEnvelopeTest, AnEnvelopeWrittenAnotherWayOpensTheSame) {
  Nodes nodes;
  std::string envelope = nodes.Seal();
  // Its key, payload and signature in base64 hold a '/' all but once in hundreds of seals.
  for (int i = 0; i < 20 && envelope.find('/') == std::string::npos; ++i) envelope = nodes.Seal();
  std::string escaped;
  for (char c : json::parse(envelope).dump(2)) {
    if (c == '/') escaped += '\\';
    escaped += c;
  }
  ASSERT_NE(escaped.find("\\/"), std::string::npos);
  for (const std::string& text : {json::parse(envelope).dump(2), escaped}) {
    Result<OpenedBatch> opened = nodes.Open(text);
    ASSERT_OK(opened);
    EXPECT_EQ(opened->header, kHeader);
    EXPECT_EQ(opened->payload, kPayload);
  }
}

TEST(BatchEnvelopeTest, MalformedEnvelopesAreBadBatch) {
  Nodes nodes;
  std::string envelope = nodes.Seal();
  const std::vector<std::pair<std::string, std::function<void(json&)>>> edits = {
      {"last before after", [](json& j) { j["last"] = 5; }},
      {"negative after", [](json& j) { j["after"] = -1; }},
      {"no signature", [](json& j) { j.erase("signature"); }},
      {"count a string", [](json& j) { j["count"] = "2"; }},
      {"no format", [](json& j) { j.erase("format"); }},
  };
  for (const auto& [what, edit] : edits) {
    SCOPED_TRACE(what);
    std::string changed = Edited(envelope, edit);
    EXPECT_THAT(nodes.Open(changed), testing::IsErrorCode("bad_batch"));
    EXPECT_THAT(PeekBatchHeader(changed), testing::IsErrorCode("bad_batch"));
  }
}

TEST(BatchEnvelopeTest, PeekReadsTheHeaderAloneOpenChecksTheRest) {
  Nodes nodes;
  const std::string changed = Edited(nodes.Seal(), [](json& j) { j["payload"] = "!!!!"; });
  EXPECT_THAT(nodes.Open(changed), testing::IsErrorCode("bad_batch"));
  Result<BatchHeader> header = PeekBatchHeader(changed);
  ASSERT_OK(header);
  EXPECT_EQ(*header, kHeader);
}

}  // namespace
}  // namespace nemis::exchange
