#include "api/json_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace nemis::api {
namespace {

TEST(JsonWriterTest, WritesNestedObjectsAndArraysThatParseBack) {
  JsonWriter w;
  w.BeginObject().BeginArray("items");
  w.BeginObject().Field("name", "阿卜杜拉·买买提").Field("grade", 3).Null("phone").EndObject();
  w.BeginObject().Field("name", "𠮷").Field("boarding", std::optional<int>(2)).EndObject();
  w.EndArray().Field("next", std::optional<std::string>()).EndObject();
  auto j = nlohmann::json::parse(w.text());
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["name"], "阿卜杜拉·买买提");
  EXPECT_EQ(j["items"][0]["grade"], 3);
  EXPECT_TRUE(j["items"][0]["phone"].is_null());
  EXPECT_EQ(j["items"][1]["name"], "𠮷");
  EXPECT_EQ(j["items"][1]["boarding"], 2);
  EXPECT_TRUE(j["next"].is_null());
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  JsonWriter w;
  w.BeginObject().Field("address", "路\"1\"号\\\n\t\x01").EndObject();
  EXPECT_EQ(nlohmann::json::parse(w.text())["address"], "路\"1\"号\\\n\t\x01");
  EXPECT_EQ(w.text().find('\n'), std::string::npos);
}

TEST(JsonWriterTest, EscapesExactlyAsJsonRequiresAndCopiesTheRest) {
  JsonWriter w;
  w.BeginObject()
      .Field("a", "\"")
      .Field("b", "x\\")
      .Field("c", std::string("\x1f\x00\r", 3))
      .Field("d", "广州市天河区")
      .Field("e", "")
      .EndObject();
  EXPECT_EQ(w.text(), R"({"a":"\"","b":"x\\","c":"\u001f\u0000\r","d":"广州市天河区","e":""})");
}

TEST(JsonWriterTest, AnEmptyArrayIsWritten) {
  JsonWriter w;
  w.BeginObject().BeginArray("items").EndArray().Field("next", "abc").EndObject();
  EXPECT_EQ(w.text(), R"({"items":[],"next":"abc"})");
}

}  // namespace
}  // namespace nemis::api
