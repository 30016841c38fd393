#include "exchange/json_scanner.hpp"

#include <charconv>

#include "base/text.hpp"

namespace nemis::exchange {

void JsonScanner::SkipSpace() {
  while (at_ < text_.size() &&
         (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
    ++at_;
  }
}

bool JsonScanner::Take(char c) {
  SkipSpace();
  if (at_ >= text_.size() || text_[at_] != c) return false;
  ++at_;
  return true;
}

bool JsonScanner::Peek(char c) {
  SkipSpace();
  return at_ < text_.size() && text_[at_] == c;
}

bool JsonScanner::AtEnd() {
  SkipSpace();
  return at_ == text_.size();
}

std::optional<std::string_view> JsonScanner::AsciiString() {
  if (!Take('"')) return std::nullopt;
  const size_t start = at_;
  while (at_ < text_.size() && text_[at_] != '"') {
    const char c = text_[at_];
    if (c < 0x20 || c > 0x7e || c == '\\') return std::nullopt;
    ++at_;
  }
  if (at_ == text_.size()) return std::nullopt;
  return text_.substr(start, at_++ - start);
}

std::optional<std::string_view> JsonScanner::Utf8String() {
  if (!Take('"')) return std::nullopt;
  const size_t start = at_;
  while (at_ < text_.size() && text_[at_] != '"') {
    const auto c = static_cast<unsigned char>(text_[at_]);
    if (c < 0x80) {
      if (c < 0x20 || c == '\\') return std::nullopt;
      ++at_;
      continue;
    }
    const size_t length = Utf8SequenceLength(text_, at_);
    if (length == 0) return std::nullopt;
    at_ += length;
  }
  if (at_ == text_.size()) return std::nullopt;
  return text_.substr(start, at_++ - start);
}

std::optional<int64_t> JsonScanner::Integer() {
  SkipSpace();
  const size_t start = at_;
  if (at_ < text_.size() && text_[at_] == '-') ++at_;
  const size_t digits = at_;
  while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
  if (at_ == digits || (text_[digits] == '0' && at_ - digits > 1)) return std::nullopt;
  if (at_ < text_.size() && (text_[at_] == '.' || text_[at_] == 'e' || text_[at_] == 'E')) {
    return std::nullopt;
  }
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text_.data() + start, text_.data() + at_, value);
  if (ec != std::errc() || end != text_.data() + at_) return std::nullopt;
  if (value == 0 && text_[start] == '-') return std::nullopt;
  return value;
}

bool JsonScanner::Null() {
  SkipSpace();
  if (text_.substr(at_, 4) != "null") return false;
  at_ += 4;
  return true;
}

}  // namespace nemis::exchange
