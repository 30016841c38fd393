#include "identity/recovery_codes.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <regex>
#include <set>

namespace nemis::identity {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> Hashes(const std::vector<std::string>& codes) {
  std::vector<std::string> hashes;
  for (const std::string& code : codes) hashes.push_back(RecoveryCodeHash(code));
  return hashes;
}

TEST(RecoveryCodesTest, GeneratesTenDistinctCodesWithoutLookAlikes) {
  std::vector<std::string> codes = GenerateRecoveryCodes();
  ASSERT_EQ(codes.size(), 10u);
  const std::regex format("^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$");
  for (const std::string& code : codes) EXPECT_TRUE(std::regex_match(code, format)) << code;
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 10u);
  EXPECT_EQ(GenerateRecoveryCodes(3).size(), 3u);
  EXPECT_TRUE(GenerateRecoveryCodes(0).empty());
}

TEST(RecoveryCodesTest, UsesTheWholeAlphabet) {
  // 1000 codes draw 10000 symbols; each of the 32 is expected ~312 times, so a missing
  // one means the mapping from random bytes is wrong.
  std::set<char> symbols;
  for (const std::string& code : GenerateRecoveryCodes(1000))
    symbols.insert(code.begin(), code.end());
  symbols.erase('-');
  EXPECT_EQ(symbols.size(), 32u);
}

TEST(RecoveryCodesTest, HashIsHexSha256OfTheNormalisedCode) {
  // sha256("ABCDEFGHJK")
  const std::string expected = "f57cbf1e3e471b25db4b8ad0844df41b2dae9c7d1944944d128e49294d412f66";
  EXPECT_EQ(RecoveryCodeHash("ABCDE-FGHJK"), expected);
  EXPECT_EQ(RecoveryCodeHash("abcde fghjk"), RecoveryCodeHash("ABCDE-FGHJK"));
  EXPECT_EQ(RecoveryCodeHash("ABCDEFGHJK"), RecoveryCodeHash("ABCDE-FGHJK"));
  const std::regex hex("^[0-9a-f]{64}$");  // ToHex writes lowercase
  for (const std::string& hash : Hashes(GenerateRecoveryCodes()))
    EXPECT_TRUE(std::regex_match(hash, hex)) << hash;
}

TEST(RecoveryCodesTest, MatchesDespiteCaseSpacesAndMissingHyphen) {
  std::vector<std::string> codes = GenerateRecoveryCodes();
  std::vector<std::string> stored = Hashes(codes);
  EXPECT_EQ(MatchRecoveryCode(codes[3], stored), 3u);
  EXPECT_EQ(MatchRecoveryCode(Lower(codes[3]), stored), 3u);
  std::string without_hyphen = codes[7].substr(0, 5) + codes[7].substr(6);
  EXPECT_EQ(MatchRecoveryCode(without_hyphen, stored), 7u);
  EXPECT_EQ(MatchRecoveryCode(" " + Lower(codes[0].substr(0, 5)) + " " + codes[0].substr(6) + " ",
                              stored),
            0u);
}

TEST(RecoveryCodesTest, RefusesWrongAndUsedCodes) {
  std::vector<std::string> codes = GenerateRecoveryCodes();
  std::vector<std::string> stored = Hashes(codes);
  std::string wrong = codes[2];
  wrong[0] = wrong[0] == '2' ? '3' : '2';
  EXPECT_EQ(MatchRecoveryCode(wrong, stored), std::nullopt);
  EXPECT_EQ(MatchRecoveryCode(codes[2].substr(0, 9), stored), std::nullopt);
  EXPECT_EQ(MatchRecoveryCode("", stored), std::nullopt);
  EXPECT_EQ(MatchRecoveryCode(codes[2], {}), std::nullopt);
  // A used code's hash is blanked by the caller and no longer matches.
  stored[2].clear();
  EXPECT_EQ(MatchRecoveryCode(codes[2], stored), std::nullopt);
  EXPECT_EQ(MatchRecoveryCode(codes[4], stored), 4u);
}

}  // namespace
}  // namespace nemis::identity
