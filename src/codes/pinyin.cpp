#include "codes/pinyin.hpp"

#include <cstdint>
#include <unordered_map>
#include <utility>

namespace nemis::codes {

std::string_view ShippedPinyinTable();  // embedded from pinyin/pinyin_table.txt

namespace {

// The basic CJK block is looked up in a flat array (names are almost all from it);
// the rare characters of the extensions in a map.
constexpr char32_t kBasicFirst = 0x4E00, kBasicLast = 0x9FFF;
constexpr uint16_t kNoSyllable = 0xFFFF;

struct PinyinTable {
  std::vector<std::string_view> syllables;
  std::vector<uint16_t> basic = std::vector<uint16_t>(kBasicLast - kBasicFirst + 1, kNoSyllable);
  std::unordered_map<char32_t, uint16_t> others;

  void Add(char32_t cp, uint16_t syllable) {
    if (cp >= kBasicFirst && cp <= kBasicLast)
      basic[cp - kBasicFirst] = syllable;
    else
      others.emplace(cp, syllable);
  }
};

PinyinTable Load() {
  PinyinTable table;
  std::string_view text = ShippedPinyinTable();
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    size_t tab = line.find('\t');
    if (line.empty() || line.front() == '#' || tab == std::string_view::npos) continue;
    auto index = static_cast<uint16_t>(table.syllables.size());
    table.syllables.push_back(line.substr(0, tab));
    for (char32_t cp : DecodeUtf8(line.substr(tab + 1))) table.Add(cp, index);
  }
  return table;
}

const PinyinTable& Table() {
  static const PinyinTable table = Load();
  return table;
}

// The length of the UTF-8 sequence a lead byte starts, 0 if it cannot start one.
int SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// The code point at text[i] and the bytes it takes; U+FFFD and 1 for a malformed byte.
std::pair<char32_t, size_t> NextCodePoint(std::string_view text, size_t i) {
  auto lead = static_cast<unsigned char>(text[i]);
  int n = SequenceLength(lead);
  if (n == 0 || i + n > text.size()) return {0xFFFD, 1};
  char32_t cp = n == 1 ? lead : lead & (0x7F >> n);
  for (int k = 1; k < n; ++k) {
    auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (next & 0x3F);
  }
  return {cp, static_cast<size_t>(n)};
}

}  // namespace

std::vector<char32_t> DecodeUtf8(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size() / 3 + 1);
  for (size_t i = 0; i < text.size();) {
    auto [cp, n] = NextCodePoint(text, i);
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string_view PinyinOf(char32_t cp) {
  const PinyinTable& t = Table();
  uint16_t index = kNoSyllable;
  if (cp >= kBasicFirst && cp <= kBasicLast) {
    index = t.basic[cp - kBasicFirst];
  } else if (auto it = t.others.find(cp); it != t.others.end()) {
    index = it->second;
  }
  return index == kNoSyllable ? std::string_view() : t.syllables[index];
}

std::string NamePinyin(std::string_view name) {
  std::string out;
  out.reserve(name.size() * 2);
  for (size_t i = 0; i < name.size();) {
    auto [cp, n] = NextCodePoint(name, i);
    if (!out.empty()) out += ' ';
    std::string_view syllable = PinyinOf(cp);
    // Not a known Han character: its own bytes.
    out += syllable.empty() ? name.substr(i, n) : syllable;
    i += n;
  }
  return out;
}

}  // namespace nemis::codes
