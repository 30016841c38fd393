#include "http/url.hpp"

#include <cstdint>

namespace nemis::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Error BadTarget(std::string message) {
  return Error::BadRequest("bad_request", std::move(message));
}

// Number of continuation bytes and the smallest code point allowed for a lead byte;
// the minimum rejects overlong encodings.
bool Utf8Lead(unsigned char c, int* extra, uint32_t* min, uint32_t* cp) {
  if (c >= 0xC2 && c <= 0xDF) {
    *extra = 1;
    *min = 0x80;
    *cp = c & 0x1Fu;
    return true;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    *extra = 2;
    *min = 0x800;
    *cp = c & 0x0Fu;
    return true;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    *extra = 3;
    *min = 0x10000;
    *cp = c & 0x07u;
    return true;
  }
  return false;
}

Status DecodeQuery(std::string_view raw, QueryList* query) {
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key, value;
    bool ok = PercentDecode(pair.substr(0, eq), true, &key);
    if (ok && eq != std::string_view::npos) ok = PercentDecode(pair.substr(eq + 1), true, &value);
    if (!ok) return BadTarget("查询参数中的百分号编码无效");
    if (!IsValidUtf8(key) || !IsValidUtf8(value)) return BadTarget("查询参数不是有效的 UTF-8 文本");
    query->emplace_back(std::move(key), std::move(value));
  }
  return {};
}

}  // namespace

bool PercentDecode(std::string_view in, bool plus_as_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra = 0;
    uint32_t min = 0, cp = 0;
    if (!Utf8Lead(c, &extra, &min, &cp) || i + extra >= text.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

Status ParseTarget(std::string_view target, std::string* path, QueryList* query) {
  if (target.empty() || target[0] != '/') return BadTarget("请求路径无效");
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  // An encoded '/' would make the decoded path ambiguous for routing.
  for (size_t i = 0; i + 2 < raw_path.size(); ++i) {
    if (raw_path[i] == '%' && raw_path[i + 1] == '2' &&
        (raw_path[i + 2] == 'f' || raw_path[i + 2] == 'F'))
      return BadTarget("请求路径中不允许编码的斜杠");
  }
  if (!PercentDecode(raw_path, false, path)) return BadTarget("请求路径中的百分号编码无效");
  if (path->find('\0') != std::string::npos) return BadTarget("请求路径中不允许空字符");
  if (!IsValidUtf8(*path)) return BadTarget("请求路径不是有效的 UTF-8 文本");
  if (q == std::string_view::npos) return {};
  std::string_view raw_query = target.substr(q + 1);
  size_t hash = raw_query.find('#');  // a fragment should never be sent; ignore it if it is
  return DecodeQuery(raw_query.substr(0, hash), query);
}

Status ParseFormBody(std::string_view body, QueryList* fields) { return DecodeQuery(body, fields); }

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : text) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

}  // namespace nemis::http
