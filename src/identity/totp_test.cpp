#include "identity/totp.hpp"

#include <gtest/gtest.h>

#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

// The 20-byte ASCII key of RFC 4226 appendix D and RFC 6238 appendix B (SHA-1).
constexpr std::string_view kRfcKey = "12345678901234567890";

system_clock::time_point At(int64_t unix_seconds) {
  return system_clock::time_point(seconds(unix_seconds));
}

TEST(TotpTest, HotpMatchesRfc4226AppendixD) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(HotpCode(kRfcKey, counter), expected[counter]) << "counter " << counter;
  }
}

TEST(TotpTest, EightDigitCodesMatchRfc6238AppendixB) {
  EXPECT_EQ(HotpCode(kRfcKey, TotpStep(At(59)), 8), "94287082");
  EXPECT_EQ(HotpCode(kRfcKey, TotpStep(At(1111111109)), 8), "07081804");
  EXPECT_EQ(HotpCode(kRfcKey, TotpStep(At(1111111111)), 8), "14050471");
  EXPECT_EQ(HotpCode(kRfcKey, TotpStep(At(1234567890)), 8), "89005924");
  EXPECT_EQ(HotpCode(kRfcKey, TotpStep(At(2000000000)), 8), "69279037");
  // T = 20000000000 (year 2603) is past what system_clock's int64 nanoseconds can hold
  // (year 2262), so its step, 666666666, is given directly.
  EXPECT_EQ(HotpCode(kRfcKey, 666666666, 8), "65353130");
}

TEST(TotpTest, SixDigitCodesAreTheLastSixOfRfc6238AppendixB) {
  EXPECT_EQ(TotpCode(kRfcKey, TotpStep(At(59))), "287082");
  EXPECT_EQ(TotpCode(kRfcKey, TotpStep(At(1111111109))), "081804");  // leading zero kept
  EXPECT_EQ(TotpCode(kRfcKey, TotpStep(At(1111111111))), "050471");
  EXPECT_EQ(TotpCode(kRfcKey, TotpStep(At(1234567890))), "005924");
  EXPECT_EQ(TotpCode(kRfcKey, TotpStep(At(2000000000))), "279037");
  EXPECT_EQ(TotpCode(kRfcKey, 666666666), "353130");  // T = 20000000000, past 2038
}

TEST(TotpTest, StepIsFloorOfThirtySecondPeriods) {
  EXPECT_EQ(TotpStep(At(0)), 0);
  EXPECT_EQ(TotpStep(At(29) + std::chrono::milliseconds(999)), 0);
  EXPECT_EQ(TotpStep(At(30)), 1);
  EXPECT_EQ(TotpStep(At(59)), 1);
  EXPECT_EQ(TotpStep(At(1111111109)), 37037036);
  EXPECT_EQ(TotpStep(At(1111111111)), 37037037);
  EXPECT_EQ(TotpStep(At(2000000000)), 66666666);
  // The extremes of system_clock (about 1677 and 2262 with nanosecond ticks) do not overflow.
  EXPECT_EQ(TotpStep(system_clock::time_point::max()), 307445734);   // 9223372036 s / 30
  EXPECT_EQ(TotpStep(system_clock::time_point::min()), -307445735);  // -9223372037 s / 30
  // Before 1970 the step is floored, not truncated toward zero.
  EXPECT_EQ(TotpStep(At(-1)), -1);
  EXPECT_EQ(TotpStep(system_clock::time_point(-std::chrono::milliseconds(1))), -1);
  EXPECT_EQ(TotpStep(At(-30)), -1);
  EXPECT_EQ(TotpStep(At(-31)), -2);
}

TEST(TotpTest, AcceptsOneStepOfDriftEitherSide) {
  // 1111111109 and 1111111111 fall in adjacent steps 37037036 and 37037037.
  const auto now = At(1111111111);
  EXPECT_EQ(VerifyTotp(kRfcKey, "050471", now, kNoTotpStepUsed), 37037037);
  EXPECT_EQ(VerifyTotp(kRfcKey, "081804", now, kNoTotpStepUsed), 37037036);
  EXPECT_EQ(VerifyTotp(kRfcKey, TotpCode(kRfcKey, 37037038), now, kNoTotpStepUsed), 37037038);
  EXPECT_EQ(VerifyTotp(kRfcKey, TotpCode(kRfcKey, 37037035), now, kNoTotpStepUsed), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcKey, TotpCode(kRfcKey, 37037039), now, kNoTotpStepUsed), std::nullopt);
  // The same code seen from 1111111109 is the current step there.
  EXPECT_EQ(VerifyTotp(kRfcKey, "081804", At(1111111109), kNoTotpStepUsed), 37037036);
}

TEST(TotpTest, RefusesWrongKey) {
  EXPECT_EQ(VerifyTotp("12345678901234567891", "050471", At(1111111111), kNoTotpStepUsed),
            std::nullopt);
}

TEST(TotpTest, AcceptsACodeOnlyOnce) {
  const auto now = At(1111111111);
  std::optional<int64_t> used = VerifyTotp(kRfcKey, "050471", now, kNoTotpStepUsed);
  ASSERT_EQ(used, 37037037);
  EXPECT_EQ(VerifyTotp(kRfcKey, "050471", now, *used), std::nullopt);
  // Nor a still-fresh code of an earlier step once a later one was used.
  EXPECT_EQ(VerifyTotp(kRfcKey, "081804", now, *used), std::nullopt);
  // The next step's code is still good.
  EXPECT_EQ(VerifyTotp(kRfcKey, TotpCode(kRfcKey, 37037038), now, *used), 37037038);
}

TEST(TotpTest, RefusesCodesThatAreNotExactlySixAsciiDigits) {
  const auto now = At(1111111111);
  // Each would match "050471" if the code were parsed as a number or trimmed.
  for (std::string_view code : {"50471", "0050471", " 050471", "050471 ", "050471\n", "+50471",
                                "05047l", "", "０５０４７１"}) {
    EXPECT_EQ(VerifyTotp(kRfcKey, code, now, kNoTotpStepUsed), std::nullopt) << "[" << code << "]";
  }
}

TEST(TotpTest, SecretRoundTripsThroughBase32) {
  TotpSecret rfc{std::string(kRfcKey)};
  EXPECT_EQ(rfc.Base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  Result<TotpSecret> typed = TotpSecret::FromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq");
  ASSERT_OK(typed);
  EXPECT_EQ(typed->key, kRfcKey);

  TotpSecret generated = TotpSecret::Generate();
  EXPECT_EQ(generated.key.size(), 20u);
  EXPECT_NE(generated.key, TotpSecret::Generate().key);
  Result<TotpSecret> back = TotpSecret::FromBase32(generated.Base32());
  ASSERT_OK(back);
  EXPECT_EQ(back->key, generated.key);
}

TEST(TotpTest, RefusesShortOrMalformedSecrets) {
  EXPECT_THAT(TotpSecret::FromBase32("GEZDGNBV"),
              nemis::testing::IsErrorCode("totp_secret_too_short"));  // 5 bytes
  EXPECT_THAT(TotpSecret::FromBase32(""), nemis::testing::IsErrorCode("totp_secret_too_short"));
  EXPECT_THAT(TotpSecret::FromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1"),
              nemis::testing::IsErrorCode("bad_base32"));  // 1 is not base32
}

TEST(TotpTest, OtpauthUriPercentEncodesTheChineseIssuer) {
  TotpSecret secret{std::string(kRfcKey)};
  // 国 U+56FD = E5 9B BD, 家 U+5BB6 = E5 AE B6, 教 U+6559 = E6 95 99, 育 U+80B2 = E8 82 B2,
  // 管 U+7BA1 = E7 AE A1, 理 U+7406 = E7 90 86, 信 U+4FE1 = E4 BF A1, 息 U+606F = E6 81 AF,
  // 系 U+7CFB = E7 B3 BB, 统 U+7EDF = E7 BB 9F.
  const std::string issuer =
      "%E5%9B%BD%E5%AE%B6%E6%95%99%E8%82%B2%E7%AE%A1%E7%90%86%E4%BF%A1%E6%81%AF%E7%B3%BB%E7%BB%9F";
  EXPECT_EQ(OtpauthUri("国家教育管理信息系统", "zhang.san", secret),
            "otpauth://totp/" + issuer +
                ":zhang.san?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=" + issuer +
                "&algorithm=SHA1&digits=6&period=30");
}

TEST(TotpTest, OtpauthUriEncodesReservedCharactersInTheAccount) {
  TotpSecret secret{std::string(kRfcKey)};
  EXPECT_EQ(
      OtpauthUri("NEMIS", "li si@edu.cn:1/2?a&b~_-", secret),
      "otpauth://totp/NEMIS:li%20si%40edu.cn%3A1%2F2%3Fa%26b~_-"
      "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=NEMIS&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace nemis::identity
