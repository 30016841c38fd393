#include "crypto/field_cipher.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "crypto/digest.hpp"
#include "crypto/encoding.hpp"
#include "crypto/internal/sm4.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::crypto {
namespace {

using ::testing::HasSubstr;

const std::string kIdNumber = "11010519491231002X";

std::string KeyLine(uint32_t version, size_t enc = 16, size_t mac = 32, size_t index = 32) {
  return "v" + std::to_string(version) + " " + std::string(enc * 2, 'a') + " " +
         std::string(mac * 2, 'b') + " " + std::string(index * 2, 'c');
}

TEST(FieldCipherTest, RoundTripsEmptyChineseAndBinaryValues) {
  FieldCipher cipher(FieldKeys::Generate(1));
  const std::string values[] = {
      "", kIdNumber, "𠮷", "阿卜杜拉·买买提", std::string(1000, 'x'), std::string("\0\xff\0", 3)};
  for (const std::string& value : values) {
    std::string sealed = cipher.Seal(value);
    EXPECT_EQ(sealed.size(), kSealedOverheadBytes + value.size());
    Result<std::string> opened = cipher.Open(sealed);
    ASSERT_OK(opened) << opened.error().code;
    EXPECT_EQ(*opened, value);
  }
  EXPECT_EQ(std::string("𠮷").size(), 4u);  // really a 4-byte UTF-8 character
}

TEST(FieldCipherTest, SealedBytesFollowTheDocumentedLayout) {
  FieldKeys keys = FieldKeys::Generate(0x01020304);
  FieldCipher cipher(keys);
  std::string sealed = cipher.Seal(kIdNumber);
  EXPECT_EQ(ToHex(sealed.substr(0, 5)), "0101020304");
  std::string iv = sealed.substr(5, 16);
  size_t tag_at = sealed.size() - 32;
  EXPECT_EQ(sealed.substr(21, tag_at - 21), internal::Sm4Ctr(keys.enc_key, iv, kIdNumber));
  EXPECT_EQ(sealed.substr(tag_at), HmacSm3(keys.mac_key, sealed.substr(0, tag_at)));
  EXPECT_EQ(cipher.KeyVersionOf(sealed), 0x01020304u);
}

TEST(FieldCipherTest, SealsDifferButTheBlindIndexIsStable) {
  FieldKeys keys = FieldKeys::Generate(1);
  FieldCipher cipher(keys);
  EXPECT_NE(cipher.Seal(kIdNumber), cipher.Seal(kIdNumber));
  std::string index = cipher.BlindIndex(kIdNumber);
  EXPECT_EQ(index.size(), kBlindIndexChars);
  EXPECT_EQ(index, cipher.BlindIndex(kIdNumber));
  EXPECT_EQ(index, ToHex(HmacSm3(keys.index_key, kIdNumber)));
  EXPECT_NE(index, cipher.BlindIndex("11010519491231002x"));
  EXPECT_NE(index, FieldCipher(FieldKeys::Generate(1)).BlindIndex(kIdNumber));
}

TEST(FieldCipherTest, ChangingAnyByteMakesOpenFail) {
  // Every byte of the version is non-zero, so no single flip turns it into "no version".
  FieldCipher cipher(FieldKeys::Generate(0x01020304));
  const std::string sealed = cipher.Seal(kIdNumber);
  for (size_t pos = 0; pos < sealed.size(); ++pos) {
    for (char flip : {'\x01', '\x80', '\xff'}) {
      std::string tampered = sealed;
      tampered[pos] = static_cast<char>(tampered[pos] ^ flip);
      Result<std::string> opened = cipher.Open(tampered);
      ASSERT_FALSE(opened.ok()) << "byte " << pos;
      // Bytes 1-4 name the key version; changing them names a key the cipher lacks.
      bool in_version = pos >= 1 && pos <= 4;
      EXPECT_EQ(opened.error().code, in_version ? "unknown_key_version" : "bad_ciphertext")
          << "byte " << pos;
    }
  }
}

TEST(FieldCipherTest, TruncatedOrExtendedValuesFail) {
  FieldCipher cipher(FieldKeys::Generate(1));
  const std::string sealed = cipher.Seal(kIdNumber);
  for (size_t len = 0; len < sealed.size(); ++len) {
    Result<std::string> opened = cipher.Open(sealed.substr(0, len));
    ASSERT_THAT(opened, nemis::testing::IsErrorCode("bad_ciphertext")) << len;
    EXPECT_EQ(opened.error().code, "bad_ciphertext") << len;
  }
  EXPECT_THAT(cipher.Open(sealed + '\0'), nemis::testing::IsErrorCode("bad_ciphertext"));
  EXPECT_THAT(cipher.Open(sealed.substr(1)), nemis::testing::IsErrorCode("bad_ciphertext"));
}

TEST(FieldCipherTest, SameVersionWithOtherKeysFailsTheTag) {
  FieldCipher mine(FieldKeys::Generate(1));
  FieldCipher theirs(FieldKeys::Generate(1));
  Result<std::string> opened = mine.Open(theirs.Seal(kIdNumber));
  ASSERT_THAT(opened, nemis::testing::IsErrorCode("bad_ciphertext"));
}

TEST(FieldCipherTest, RotationKeepsOldValuesReadable) {
  FieldKeys v1 = FieldKeys::Generate(1);
  FieldKeys v2 = FieldKeys::Generate(2);
  FieldCipher before(v1);
  std::string old_value = before.Seal(kIdNumber);

  FieldCipher after(v2, {v1});
  EXPECT_EQ(after.CurrentVersion(), 2u);
  EXPECT_EQ(after.KeyVersionOf(old_value), 1u);
  ASSERT_OK(after.Open(old_value));
  EXPECT_EQ(*after.Open(old_value), kIdNumber);

  std::string new_value = after.Seal(kIdNumber);
  EXPECT_EQ(after.KeyVersionOf(new_value), 2u);
  EXPECT_EQ(*after.Open(new_value), kIdNumber);

  Result<std::string> in_old_cipher = before.Open(new_value);
  ASSERT_THAT(in_old_cipher, nemis::testing::IsErrorCode("unknown_key_version"));
  EXPECT_THAT(in_old_cipher.error().message, HasSubstr("v2"));
}

TEST(FieldCipherTest, KeyVersionOfIsZeroForMalformedValues) {
  FieldCipher cipher(FieldKeys::Generate(7));
  std::string sealed = cipher.Seal("x");
  EXPECT_EQ(cipher.KeyVersionOf(sealed), 7u);
  EXPECT_EQ(cipher.KeyVersionOf(""), 0u);
  EXPECT_EQ(cipher.KeyVersionOf(sealed.substr(0, kSealedOverheadBytes - 1)), 0u);
  sealed[0] = 2;  // a future format
  EXPECT_EQ(cipher.KeyVersionOf(sealed), 0u);
  EXPECT_EQ(cipher.Open(sealed).error().code, "bad_ciphertext");
}

TEST(FieldKeysTest, GenerateMakesFreshKeysOfTheRightSizes) {
  FieldKeys a = FieldKeys::Generate(3);
  FieldKeys b = FieldKeys::Generate(3);
  EXPECT_EQ(a.version, 3u);
  EXPECT_EQ(a.enc_key.size(), kFieldEncKeyBytes);
  EXPECT_EQ(a.mac_key.size(), kFieldMacKeyBytes);
  EXPECT_EQ(a.index_key.size(), kFieldIndexKeyBytes);
  EXPECT_NE(a.mac_key, a.index_key);
  EXPECT_NE(a, b);
  EXPECT_THROW(FieldKeys::Generate(0), std::invalid_argument);
}

TEST(FieldKeysTest, CipherRefusesInvalidKeySets) {
  FieldKeys good = FieldKeys::Generate(1);
  FieldKeys zero = good;
  zero.version = 0;
  EXPECT_THROW(FieldCipher{zero}, std::invalid_argument);
  FieldKeys short_key = good;
  short_key.enc_key.pop_back();
  EXPECT_THROW(FieldCipher{short_key}, std::invalid_argument);
  FieldKeys long_mac = good;
  long_mac.mac_key += 'x';
  EXPECT_THROW(FieldCipher(FieldKeys::Generate(2), {long_mac}), std::invalid_argument);
  EXPECT_THROW(FieldCipher(good, {FieldKeys::Generate(1)}), std::invalid_argument);
  EXPECT_THROW(FieldCipher(good, {FieldKeys::Generate(2), FieldKeys::Generate(2)}),
               std::invalid_argument);
}

TEST(FieldKeyFileTest, SerializeThenParseGivesTheKeysNewestFirst) {
  std::vector<FieldKeys> keys = {FieldKeys::Generate(1), FieldKeys::Generate(3),
                                 FieldKeys::Generate(2)};
  std::string text = SerializeFieldKeys(keys);
  Result<std::vector<FieldKeys>> parsed = ParseFieldKeys(text);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->size(), 3u);
  EXPECT_EQ((*parsed)[0], keys[1]);
  EXPECT_EQ((*parsed)[1], keys[2]);
  EXPECT_EQ((*parsed)[2], keys[0]);
  EXPECT_THAT(text, HasSubstr("v3 " + ToHex(keys[1].enc_key) + " " + ToHex(keys[1].mac_key) + " " +
                              ToHex(keys[1].index_key) + "\n"));

  // The parsed list drives a cipher that opens what the oldest key sealed.
  std::string old_value = FieldCipher(keys[0]).Seal(kIdNumber);
  FieldCipher cipher(parsed->front(), {parsed->begin() + 1, parsed->end()});
  EXPECT_EQ(cipher.CurrentVersion(), 3u);
  EXPECT_EQ(*cipher.Open(old_value), kIdNumber);
}

TEST(FieldKeyFileTest, AcceptsCommentsBlankLinesTabsAndCrlf) {
  std::string text = "# field keys\r\n\r\n  " + KeyLine(1) + "  # the first\r\n\t" + KeyLine(2) +
                     "\t\r\n#" + KeyLine(9) + "\n";
  Result<std::vector<FieldKeys>> parsed = ParseFieldKeys(text);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].version, 2u);
  EXPECT_EQ((*parsed)[1].version, 1u);
  EXPECT_EQ((*parsed)[1].enc_key, std::string(16, '\xaa'));
  EXPECT_EQ((*parsed)[1].index_key, std::string(32, '\xcc'));
}

TEST(FieldKeyFileTest, ErrorsNameTheLine) {
  const std::string hex16(32, 'a');
  const std::string hex32(64, 'b');
  const std::string bad_lines[] = {
      "v5 " + hex16 + " " + hex32,                               // three fields
      KeyLine(5) + " extra",                                     // five fields
      "5 " + hex16 + " " + hex32 + " " + hex32,                  // no 'v'
      KeyLine(0),                                                // version 0
      "v4294967296 " + hex16 + " " + hex32 + " " + hex32,        // above uint32
      "v-1 " + hex16 + " " + hex32 + " " + hex32,                // negative
      "vx " + hex16 + " " + hex32 + " " + hex32,                 // not a number
      "v5 " + std::string(32, 'z') + " " + hex32 + " " + hex32,  // not hex
      KeyLine(5, 15),                                            // enc key too short
      KeyLine(5, 16, 16),                                        // mac key too short
      KeyLine(5, 16, 32, 33),                                    // index key too long
      KeyLine(1),                                                // version repeated
  };
  for (const std::string& bad : bad_lines) {
    std::string text = "# keys\n\n" + KeyLine(1) + "\n" + bad + "\n" + KeyLine(7) + "\n";
    Result<std::vector<FieldKeys>> parsed = ParseFieldKeys(text);
    ASSERT_THAT(parsed, nemis::testing::IsErrorCode("bad_key_file")) << bad;
    EXPECT_EQ(parsed.error().code, "bad_key_file") << bad;
    EXPECT_THAT(parsed.error().message, HasSubstr("第 4 行")) << bad;
  }
}

TEST(FieldKeyFileTest, AFileWithoutKeysIsAnError) {
  for (std::string_view text : {"", "\n\n", "# only a comment\n"}) {
    Result<std::vector<FieldKeys>> parsed = ParseFieldKeys(text);
    ASSERT_THAT(parsed, nemis::testing::IsErrorCode("bad_key_file"));
  }
}

}  // namespace
}  // namespace nemis::crypto
