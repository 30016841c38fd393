#include "importer/csv_header.hpp"

#include <cassert>
#include <unordered_map>

namespace nemis::importer {
namespace {

// Decodes one UTF-8 character at `i` (the reader has validated the text; anything odd is
// taken byte by byte).
char32_t DecodeAt(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const int len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  if (len == 1 || i + len > s.size()) {
    ++i;
    return b;
  }
  char32_t cp = b & (0x7F >> len);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsIgnorable(char32_t cp) {
  return cp == U' ' || cp == U'\t' || cp == 0x3000 /* ideographic space */ ||
         cp == 0x00A0 /* no-break space */ || cp == 0xFEFF /* BOM */ || cp == 0x200B;
}

std::string SpreadsheetColumn(size_t column) {
  std::string letters;
  for (size_t n = column + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters;
}

std::string Position(size_t field) {
  return "第 " + std::to_string(field + 1) + " 列（" + SpreadsheetColumn(field) + "）";
}

std::string Quoted(std::string_view text) { return "“" + std::string(text) + "”"; }

}  // namespace

std::string NormalizeHeaderName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char32_t cp = DecodeAt(text, i);
    if (IsIgnorable(cp)) continue;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII forms
    if (cp >= U'A' && cp <= U'Z') cp += U'a' - U'A';
    AppendUtf8(out, cp);
  }
  // Templates mark required columns with a star: "*姓名" or "姓名*".
  while (!out.empty() && out.front() == '*') out.erase(out.begin());
  while (!out.empty() && out.back() == '*') out.pop_back();
  return out;
}

Result<HeaderMapping> MatchHeaderColumns(std::span<const std::string_view> header,
                                         std::span<const HeaderColumn> columns) {
  std::unordered_map<std::string, size_t> by_name;
  for (size_t c = 0; c < columns.size(); ++c) {
    [[maybe_unused]] const bool fresh_chinese =
        by_name.emplace(NormalizeHeaderName(columns[c].chinese), c).second;
    [[maybe_unused]] const bool fresh_english =
        by_name.emplace(NormalizeHeaderName(columns[c].english), c).second;
    assert(fresh_chinese && fresh_english && "two column specs share a header name");
  }
  HeaderMapping mapping;
  mapping.field_of.assign(columns.size(), -1);
  std::vector<FieldError> problems;
  std::vector<std::string> summary;
  for (size_t f = 0; f < header.size(); ++f) {
    const std::string key = NormalizeHeaderName(header[f]);
    if (key.empty()) {
      mapping.warnings.push_back(
          {f, std::string(header[f]), "empty_header", Position(f) + "没有表头，该列已忽略"});
      continue;
    }
    auto it = by_name.find(key);
    if (it == by_name.end()) {
      mapping.warnings.push_back({f, std::string(header[f]), "unknown_column",
                                  Position(f) + Quoted(header[f]) + "不是可导入的列，已忽略"});
      continue;
    }
    const HeaderColumn& column = columns[it->second];
    int& slot = mapping.field_of[it->second];
    if (slot >= 0) {
      const auto first = static_cast<size_t>(slot);
      std::string message = Position(first) + Quoted(header[first]) + "和" + Position(f) +
                            Quoted(header[f]) + "是同一列" + Quoted(column.chinese) +
                            "，只能保留一列";
      summary.push_back(message);
      problems.push_back({std::string(column.english), "duplicate_column", std::move(message)});
      continue;
    }
    slot = static_cast<int>(f);
  }
  for (size_t c = 0; c < columns.size(); ++c) {
    if (!columns[c].required || mapping.field_of[c] >= 0) continue;
    std::string message =
        "缺少必填列" + Quoted(columns[c].chinese) + "（" + std::string(columns[c].english) + "）";
    summary.push_back(message);
    problems.push_back({std::string(columns[c].english), "missing_column", std::move(message)});
  }
  if (problems.empty()) return mapping;
  std::string message = "表头有误：";
  for (size_t i = 0; i < summary.size(); ++i) message += (i > 0 ? "；" : "") + summary[i];
  Error error = Error::Invalid(std::move(problems), std::move(message));
  error.code = "bad_header";
  return error;
}

}  // namespace nemis::importer
