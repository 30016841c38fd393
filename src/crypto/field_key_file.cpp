// The field key file (SerializeFieldKeys / ParseFieldKeys in field_cipher.hpp): plain text
// so an operator can inspect versions, add a generation and keep a backup with ordinary
// tools. Key material is hex; nothing else is accepted on a key line.
#include <algorithm>
#include <charconv>

#include "crypto/encoding.hpp"
#include "crypto/field_cipher.hpp"

namespace nemis::crypto {
namespace {

constexpr std::string_view kFileHeader =
    "# NEMIS field keys: personal data at rest (SM4-CTR + HMAC-SM3). Keep secret.\n"
    "# v<version> <SM4 key hex> <HMAC-SM3 tag key hex> <HMAC-SM3 blind-index key hex>\n"
    "# The highest version is current; older ones still open what they sealed.\n";
// \r too, so that a file saved with CRLF line ends reads the same.
constexpr std::string_view kWhitespace = " \t\r";

Error LineError(size_t line, const std::string& message) {
  return Error::BadRequest("bad_key_file",
                           "字段密钥文件第 " + std::to_string(line) + " 行：" + message);
}

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kWhitespace);
  return s.substr(begin, end - begin + 1);
}

std::vector<std::string_view> SplitFields(std::string_view s) {
  std::vector<std::string_view> fields;
  while (!(s = Trim(s)).empty()) {
    size_t end = std::min(s.find_first_of(kWhitespace), s.size());
    fields.push_back(s.substr(0, end));
    s.remove_prefix(end);
  }
  return fields;
}

Result<uint32_t> ParseVersion(std::string_view field, size_t line) {
  uint32_t version = 0;
  const char* end = field.data() + field.size();
  if (field.size() < 2 || field[0] != 'v' ||
      std::from_chars(field.data() + 1, end, version).ptr != end || version == 0) {
    return LineError(line,
                     "版本应写作 v 加 1 至 4294967295 的整数，而不是“" + std::string(field) + "”");
  }
  return version;
}

Result<std::string> ParseKey(std::string_view field, std::string_view name, size_t bytes,
                             size_t line) {
  Result<std::string> key = FromHex(field);
  if (!key.ok()) return LineError(line, std::string(name) + "不是十六进制");
  if (key->size() != bytes) {
    return LineError(line, std::string(name) + "应为 " + std::to_string(bytes) + " 字节（" +
                               std::to_string(bytes * 2) + " 个十六进制字符）");
  }
  return key;
}

// One key line (comment already removed, not blank).
Result<FieldKeys> ParseKeyLine(std::string_view content, size_t line) {
  std::vector<std::string_view> fields = SplitFields(content);
  if (fields.size() != 4) {
    return LineError(line, "应有 4 项：v<版本> <加密密钥> <校验密钥> <索引密钥>，实有 " +
                               std::to_string(fields.size()) + " 项");
  }
  FieldKeys keys;
  NEMIS_ASSIGN_OR_RETURN(keys.version, ParseVersion(fields[0], line));
  NEMIS_ASSIGN_OR_RETURN(keys.enc_key, ParseKey(fields[1], "加密密钥", kFieldEncKeyBytes, line));
  NEMIS_ASSIGN_OR_RETURN(keys.mac_key, ParseKey(fields[2], "校验密钥", kFieldMacKeyBytes, line));
  NEMIS_ASSIGN_OR_RETURN(keys.index_key,
                         ParseKey(fields[3], "索引密钥", kFieldIndexKeyBytes, line));
  return keys;
}

bool NewestFirst(const FieldKeys& a, const FieldKeys& b) { return a.version > b.version; }

}  // namespace

std::string SerializeFieldKeys(const std::vector<FieldKeys>& keys) {
  std::vector<const FieldKeys*> sorted;
  for (const FieldKeys& k : keys) sorted.push_back(&k);
  std::sort(sorted.begin(), sorted.end(),
            [](const FieldKeys* a, const FieldKeys* b) { return NewestFirst(*a, *b); });
  std::string out(kFileHeader);
  for (const FieldKeys* k : sorted) {
    out += "v" + std::to_string(k->version) + " " + ToHex(k->enc_key) + " " + ToHex(k->mac_key) +
           " " + ToHex(k->index_key) + "\n";
  }
  return out;
}

Result<std::vector<FieldKeys>> ParseFieldKeys(std::string_view text) {
  std::vector<FieldKeys> keys;
  size_t line = 0;
  while (!text.empty()) {
    ++line;
    size_t newline = std::min(text.find('\n'), text.size());
    std::string_view content = text.substr(0, newline);
    text.remove_prefix(std::min(newline + 1, text.size()));
    content = Trim(content.substr(0, content.find('#')));
    if (content.empty()) continue;
    NEMIS_ASSIGN_OR_RETURN(FieldKeys parsed, ParseKeyLine(content, line));
    for (const FieldKeys& k : keys) {
      if (k.version == parsed.version) {
        return LineError(line, "版本 v" + std::to_string(parsed.version) + " 重复");
      }
    }
    keys.push_back(std::move(parsed));
  }
  if (keys.empty()) return Error::BadRequest("bad_key_file", "字段密钥文件中没有密钥");
  std::sort(keys.begin(), keys.end(), NewestFirst);
  return keys;
}

}  // namespace nemis::crypto
