#include "http/url.hpp"

#include <gtest/gtest.h>

#include "testing/result_matchers.hpp"

namespace nemis::http {
namespace {

TEST(UrlTest, PercentEncodeKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("abcXYZ019-._~"), "abcXYZ019-._~");
  EXPECT_EQ(PercentEncode("http://127.0.0.1:9/cb?a=1&b"),
            "http%3A%2F%2F127.0.0.1%3A9%2Fcb%3Fa%3D1%26b");
  EXPECT_EQ(PercentEncode("学 +"), "%E5%AD%A6%20%2B");
  std::string back;
  ASSERT_TRUE(PercentDecode(PercentEncode("学 +/?&=#"), false, &back));
  EXPECT_EQ(back, "学 +/?&=#");
}

TEST(UrlTest, FormBodiesDecodeLikeQueries) {
  QueryList fields;
  ASSERT_OK(ParseFormBody(
      "grant_type=authorization_code&code=a%2Bb&redirect_uri=http%3A%2F%2Fx&empty=&plus=a+b",
      &fields));
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[1], (std::pair<std::string, std::string>{"code", "a+b"}));
  EXPECT_EQ(fields[2].second, "http://x");
  EXPECT_EQ(fields[3].second, "");
  EXPECT_EQ(fields[4].second, "a b");
  QueryList bad;
  EXPECT_THAT(ParseFormBody("code=%zz", &bad), nemis::testing::IsErrorCode("bad_request"));
}

}  // namespace
}  // namespace nemis::http
