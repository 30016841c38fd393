#include "api/json_writer.hpp"

#include "base/log.hpp"

namespace nemis::api {

void JsonWriter::Separator() {
  if (!first_) out_ += ',';
  first_ = false;
}

void JsonWriter::Key(std::string_view key) {
  Separator();
  if (key.empty()) return;  // an array element
  out_ += '"';
  log::AppendJsonEscaped(out_, key);
  out_ += "\":";
}

JsonWriter& JsonWriter::BeginObject() {
  if (!out_.empty() && out_.back() != '[' && out_.back() != ':') Separator();
  out_ += '{';
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_ += '}';
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::BeginArray(std::string_view key) {
  Key(key);
  out_ += '[';
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_ += ']';
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::Field(std::string_view key, std::string_view value) {
  Key(key);
  out_ += '"';
  log::AppendJsonEscaped(out_, value);
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::Field(std::string_view key, int64_t value) {
  Key(key);
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::Field(std::string_view key, const std::optional<std::string>& value) {
  return value ? Field(key, std::string_view(*value)) : Null(key);
}

JsonWriter& JsonWriter::Field(std::string_view key, const std::optional<int>& value) {
  return value ? Field(key, static_cast<int64_t>(*value)) : Null(key);
}

JsonWriter& JsonWriter::Null(std::string_view key) {
  Key(key);
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view key, std::string_view json) {
  Key(key);
  out_ += json;
  return *this;
}

}  // namespace nemis::api
