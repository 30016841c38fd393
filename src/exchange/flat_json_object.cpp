#include "exchange/flat_json_object.hpp"

#include <charconv>

namespace nemis::exchange {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void SkipSpace() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }
  bool Take(char c) {
    SkipSpace();
    if (at_ >= text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }
  bool Peek(char c) {
    SkipSpace();
    return at_ < text_.size() && text_[at_] == c;
  }
  bool AtEnd() {
    SkipSpace();
    return at_ == text_.size();
  }
  // A string of printable ASCII other than '"' and '\\'.
  std::optional<std::string_view> String() {
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
  // -?(0|[1-9][0-9]*) within int64_t; not "-0".
  std::optional<int64_t> Integer() {
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

 private:
  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace

std::optional<std::map<std::string_view, FlatJsonValue>> ReadFlatJsonObject(std::string_view text) {
  Scanner s(text);
  if (!s.Take('{')) return std::nullopt;
  std::map<std::string_view, FlatJsonValue> out;
  if (!s.Take('}')) {
    do {
      auto key = s.String();
      if (!key || !s.Take(':')) return std::nullopt;
      FlatJsonValue value;
      if (s.Peek('"')) {
        auto string = s.String();
        if (!string) return std::nullopt;
        value = *string;
      } else {
        auto integer = s.Integer();
        if (!integer) return std::nullopt;
        value = *integer;
      }
      if (!out.emplace(*key, value).second) return std::nullopt;  // a key twice
    } while (s.Take(','));
    if (!s.Take('}')) return std::nullopt;
  }
  if (!s.AtEnd()) return std::nullopt;
  return out;
}

}  // namespace nemis::exchange
