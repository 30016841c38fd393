// Password hashes and the password policy.
#include <gtest/gtest.h>

#include <regex>

#include "identity/password_hash.hpp"
#include "identity/password_policy.hpp"
#include "testing/result_matchers.hpp"

namespace nemis::identity {
namespace {

const Argon2Params kCheap{1024, 1, 1};

std::string CodeOf(const Status& s) { return s.ok() ? "ok" : s.error().fields.at(0).code; }

TEST(PasswordHashTest, IsArgon2idInPhcFormatAndVerifiesOnlyTheRightPassword) {
  std::string hash = HashPassword("Zhang-San-2026", kCheap);
  EXPECT_TRUE(std::regex_match(
      hash,
      std::regex(R"(\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43})")))
      << hash;
  EXPECT_TRUE(VerifyPassword("Zhang-San-2026", hash));
  EXPECT_FALSE(VerifyPassword("zhang-San-2026", hash));
  EXPECT_FALSE(VerifyPassword("", hash));
  EXPECT_NE(HashPassword("Zhang-San-2026", kCheap), hash) << "each hash has its own salt";
}

TEST(PasswordHashTest, MalformedOrForeignHashesNeverVerify) {
  EXPECT_FALSE(VerifyPassword("x", ""));
  EXPECT_FALSE(VerifyPassword("x", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA"));
  EXPECT_FALSE(VerifyPassword("x", "$argon2id$v=19$m=1024,t=1,p=1$!!$??"));
  EXPECT_FALSE(VerifyPassword("x", "5f4dcc3b5aa765d61d8327deb882cf99"));
}

TEST(PasswordPolicyTest, DefaultPolicyIsTwelveCharactersOfThreeClasses) {
  PasswordPolicy policy;
  EXPECT_EQ(CodeOf(CheckPasswordStrength("Abcdefgh123", "zhang", policy)), "too_short");  // 11
  EXPECT_EQ(CodeOf(CheckPasswordStrength("Abcdefgh1234", "zhang", policy)),
            "ok");  // 12, three classes
  EXPECT_EQ(CodeOf(CheckPasswordStrength("abcdefgh1234", "zhang", policy)), "too_simple");
  EXPECT_EQ(CodeOf(CheckPasswordStrength("abcdefgh-234", "zhang", policy)),
            "ok");  // lower, digit, other
  EXPECT_EQ(CodeOf(CheckPasswordStrength("教育管理信息系统abc12", "zhang", policy)),
            "ok");  // CJK counts as other
  EXPECT_EQ(CodeOf(CheckPasswordStrength("教育管理信息系统密码好长", "zhang", policy)),
            "too_simple");
  EXPECT_EQ(CodeOf(CheckPasswordStrength("Xx-Zhang.San-99", "zhang.san", policy)),
            "contains_login");
  EXPECT_EQ(CodeOf(CheckPasswordStrength(std::string("Abcdefgh12\xff\xfe", 12), "zhang", policy)),
            "bad_encoding");
  Status s = CheckPasswordStrength("short", "zhang", policy);
  ASSERT_THAT(s, nemis::testing::IsErrorCode("validation_failed"));
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(s.error().fields.at(0).field, "password");
}

TEST(PasswordPolicyTest, ThePolicyIsConfigurable) {
  PasswordPolicy strict{16, 4, 5, 0};
  EXPECT_EQ(CodeOf(CheckPasswordStrength("Abcdefgh1234-xyz", "zhang", strict)), "ok");
  EXPECT_EQ(CodeOf(CheckPasswordStrength("Abcdefgh12345xyz", "zhang", strict)), "too_simple");
  EXPECT_EQ(CodeOf(CheckPasswordStrength("Abcdefgh1234-xy", "zhang", strict)), "too_short");
}

TEST(PasswordPolicyTest, GeneratedPasswordsMeetTheStrictestPolicyAndDiffer) {
  PasswordPolicy strict{20, 4, 5, 0};
  std::string previous;
  for (int i = 0; i < 200; ++i) {
    std::string p = GeneratePassword();
    ASSERT_EQ(p.size(), 20u);
    ASSERT_EQ(CodeOf(CheckPasswordStrength(p, "admin", strict)), "ok") << p;
    EXPECT_EQ(p.find_first_of("0O1lI"), std::string::npos) << "look-alike characters in " << p;
    EXPECT_NE(p, previous);
    previous = p;
  }
}

}  // namespace
}  // namespace nemis::identity
