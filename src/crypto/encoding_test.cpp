#include "crypto/encoding.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "testing/result_matchers.hpp"

namespace nemis::crypto {
namespace {

TEST(Base64Test, StandardAlphabetWithPaddingAsInHttpBasic) {
  EXPECT_EQ(Base64Encode("client:s3cr\xfb\xff"), "Y2xpZW50OnMzY3L7/w==");  // '/' and padding
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(*Base64Decode("Y2xpZW50OnMzY3L7/w=="), "client:s3cr\xfb\xff");
  EXPECT_EQ(*Base64Decode("Zm9v"), "foo");
  for (const char* bad : {"Zg=", "Zm9v-_==", "Z===", "Zm9v!", "Zg"})
    EXPECT_THAT(Base64Decode(bad), nemis::testing::IsErrorCode("bad_base64")) << bad;
}

std::string AllByteValues() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  return bytes;
}

// RFC 4648 §10 test vectors, without the padding.
const std::vector<std::pair<std::string, std::string>> kBase64Vectors = {
    {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
    {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
};
const std::vector<std::pair<std::string, std::string>> kBase32Vectors = {
    {"", ""},
    {"f", "MY"},
    {"fo", "MZXQ"},
    {"foo", "MZXW6"},
    {"foob", "MZXW6YQ"},
    {"fooba", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI"},
};

TEST(HexTest, EncodesLowercaseAndDecodesEitherCase) {
  EXPECT_EQ(ToHex(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(ToHex(""), "");
  EXPECT_EQ(*FromHex("0001ABff"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(*FromHex(""), "");
  EXPECT_EQ(*FromHex(ToHex(AllByteValues())), AllByteValues());
}

TEST(HexTest, RejectsOddLengthAndNonHexCharacters) {
  for (std::string_view bad : {"abc", "0g", "zz", "12 4", "0x12"}) {
    Result<std::string> r = FromHex(bad);
    ASSERT_THAT(r, nemis::testing::IsErrorCode("bad_hex")) << bad;
    EXPECT_EQ(r.error().code, "bad_hex") << bad;
  }
}

TEST(Base64Test, Rfc4648VectorsWithPaddingAndEveryByte) {
  for (const auto& [plain, encoded] : kBase64Vectors) {
    const std::string padded = encoded + std::string((4 - encoded.size() % 4) % 4, '=');
    EXPECT_EQ(Base64Encode(plain), padded) << plain;
    Result<std::string> decoded = Base64Decode(padded);
    ASSERT_OK(decoded) << padded;
    EXPECT_EQ(*decoded, plain);
  }
  EXPECT_EQ(*Base64Decode(Base64Encode(AllByteValues())), AllByteValues());
  // Left-over bits that are not zero, a character of the URL alphabet, padding inside.
  for (const char* bad : {"Zh==", "Zm9=", "Zm9v_w==", "Zg==Zm9v", "Zm=v"})
    EXPECT_THAT(Base64Decode(bad), nemis::testing::IsErrorCode("bad_base64")) << bad;
}

TEST(Base64UrlTest, Rfc4648Vectors) {
  for (const auto& [plain, encoded] : kBase64Vectors) {
    EXPECT_EQ(Base64UrlEncode(plain), encoded) << plain;
    Result<std::string> decoded = Base64UrlDecode(encoded);
    ASSERT_OK(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64UrlTest, UsesTheUrlSafeAlphabet) {
  // Standard base64 of fb ff is "+/8=".
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(*Base64UrlDecode("-_8"), "\xfb\xff");
  EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(AllByteValues())), AllByteValues());
}

TEST(Base64UrlTest, RejectsPaddingForeignCharactersAndNonCanonicalInput) {
  for (std::string_view bad : {"Zg==", "Zm8=", "+/8", "Zm9v Yg", "Zm9v\n", "Zm9vY", "Zh", "Zm9"}) {
    Result<std::string> r = Base64UrlDecode(bad);
    ASSERT_THAT(r, nemis::testing::IsErrorCode("bad_base64url")) << bad;
    EXPECT_EQ(r.error().code, "bad_base64url") << bad;
  }
}

TEST(Base32Test, Rfc4648Vectors) {
  for (const auto& [plain, encoded] : kBase32Vectors) {
    EXPECT_EQ(Base32Encode(plain), encoded) << plain;
    Result<std::string> decoded = Base32Decode(encoded);
    ASSERT_OK(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
  EXPECT_EQ(*Base32Decode(Base32Encode(AllByteValues())), AllByteValues());
}

TEST(Base32Test, AcceptsWhatPeopleTypeLowercaseSpacesAndPadding) {
  EXPECT_EQ(*Base32Decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(*Base32Decode("MZXW 6YTB OI"), "foobar");
  EXPECT_EQ(*Base32Decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(*Base32Decode("my======"), "f");
  // A 160-bit TOTP secret is 32 characters, no padding.
  std::string secret(20, '\x5a');
  EXPECT_EQ(Base32Encode(secret).size(), 32u);
  EXPECT_EQ(*Base32Decode(Base32Encode(secret)), secret);
}

TEST(Base32Test, RejectsForeignCharactersAndImpossibleLengths) {
  // '0', '1', '8', '9' are not in the alphabet; 1, 3 or 6 characters cannot end a byte.
  for (std::string_view bad : {"MZXW1", "MZ0W", "MZ8Q", "M", "MZX", "MZXW6Y", "MZ=X", "MZ-X"}) {
    Result<std::string> r = Base32Decode(bad);
    ASSERT_THAT(r, nemis::testing::IsErrorCode("bad_base32")) << bad;
    EXPECT_EQ(r.error().code, "bad_base32") << bad;
  }
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("123456", "123456"));
  EXPECT_FALSE(ConstantTimeEquals("123456", "123457"));
  EXPECT_FALSE(ConstantTimeEquals("123456", "023456"));
  EXPECT_FALSE(ConstantTimeEquals("12345", "123456"));
  EXPECT_FALSE(ConstantTimeEquals("123456", ""));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace nemis::crypto
