// A small streaming JSON writer for hot responses (student records): one string,
// no tree of nodes. nlohmann::json stays the tool for parsing and for cold paths.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nemis::api {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray(std::string_view key);
  JsonWriter& EndArray();
  JsonWriter& Field(std::string_view key, std::string_view value);
  JsonWriter& Field(std::string_view key, const char* value) {
    return Field(key, std::string_view(value));
  }
  JsonWriter& Field(std::string_view key, const std::string& value) {
    return Field(key, std::string_view(value));
  }
  JsonWriter& Field(std::string_view key, int64_t value);
  JsonWriter& Field(std::string_view key, int value) {
    return Field(key, static_cast<int64_t>(value));
  }
  JsonWriter& Field(std::string_view key, const std::optional<std::string>& value);
  JsonWriter& Field(std::string_view key, const std::optional<int>& value);
  JsonWriter& Null(std::string_view key);
  /// Appends an already serialised JSON value (an element or a field's value).
  JsonWriter& Raw(std::string_view key, std::string_view json);

  std::string Take() { return std::move(out_); }
  const std::string& text() const { return out_; }

 private:
  void Separator();
  void Key(std::string_view key);
  std::string out_;
  bool first_ = true;
};

}  // namespace nemis::api
