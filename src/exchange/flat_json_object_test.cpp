// The flat-object reader reads exactly the narrow kind it is for — strings of printable ASCII
// without escapes and integers, in one object, whitespace anywhere JSON allows it — and
// declines everything else (so that a full parser reads it), including what JSON itself
// refuses.
#include "exchange/flat_json_object.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace nemis::exchange {
namespace {

TEST(FlatJsonObjectTest, ReadsStringsAndIntegersWhereverTheWhitespaceIs) {
  const auto flat = ReadFlatJsonObject(
      " {\n\t\"format\" : \"nemis.exchange.batch.v1\",\"after\":0,\r\n\"last\": -12 ,"
      "\"payload\":\"QUJD/+==\",\"big\":9223372036854775807} \n");
  ASSERT_TRUE(flat.has_value());
  EXPECT_EQ(flat->size(), 5u);
  EXPECT_EQ(std::get<std::string_view>(flat->at("format")), "nemis.exchange.batch.v1");
  EXPECT_EQ(std::get<int64_t>(flat->at("after")), 0);
  EXPECT_EQ(std::get<int64_t>(flat->at("last")), -12);
  EXPECT_EQ(std::get<std::string_view>(flat->at("payload")), "QUJD/+==");
  EXPECT_EQ(std::get<int64_t>(flat->at("big")), INT64_MAX);
  EXPECT_TRUE(ReadFlatJsonObject("{}").has_value());
  EXPECT_TRUE(ReadFlatJsonObject("{\"empty\":\"\"}").has_value());
}

TEST(FlatJsonObjectTest, DeclinesEverythingElse) {
  for (const std::string_view text : {
           "",
           "[]",
           "\"a\"",
           "{",
           "{\"a\":1",
           "{\"a\":1,}",
           "{,}",
           "{\"a\" 1}",
           "{a:1}",
           "{\"a\":\"x\\/y\"}",         // an escape
           "{\"a\":\"\xe5\xb9\xbf\"}",  // not ASCII
           "{\"a\":\"tab\there\"}",     // a control character
           "{\"a\":\"open}",
           "{\"a\":{\"b\":1}}",
           "{\"a\":[1]}",
           "{\"a\":true}",
           "{\"a\":null}",
           "{\"a\":1.5}",
           "{\"a\":1e3}",
           "{\"a\":01}",
           "{\"a\":-0}",
           "{\"a\":-}",
           "{\"a\":+1}",
           "{\"a\":9223372036854775808}",
           "{\"a\":1,\"a\":2}",  // a key twice
           "{\"a\":1} x",
           "{\"a\":1}{}",
       }) {
    EXPECT_FALSE(ReadFlatJsonObject(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace nemis::exchange
