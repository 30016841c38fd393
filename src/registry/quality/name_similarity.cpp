#include "registry/quality/name_similarity.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "codes/pinyin.hpp"

namespace nemis::registry::quality {
namespace {

// A character with no syllable (a letter, the middle dot) differs from any other by
// more than any two syllables do.
constexpr int kNoSyllableDistance = 9;

int SyllableDistance(char32_t a, char32_t b) {
  std::string_view sa = codes::PinyinOf(a), sb = codes::PinyinOf(b);
  if (sa.empty() || sb.empty()) return kNoSyllableDistance;
  return EditDistance(sa, sb);
}

bool SameSound(const std::vector<char32_t>& a, const std::vector<char32_t>& b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    std::string_view sa = codes::PinyinOf(a[i]);
    if (sa.empty() || sa != codes::PinyinOf(b[i])) return false;
  }
  return true;
}

}  // namespace

int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

NameComparison CompareNames(std::string_view a, std::string_view b) {
  std::vector<char32_t> ca = codes::DecodeUtf8(a), cb = codes::DecodeUtf8(b);
  NameComparison out;
  if (ca.size() != cb.size()) return out;
  out.characters = static_cast<int>(ca.size());
  if (ca == cb) {
    out.match = NameMatch::kExact;
    return out;
  }
  if (SameSound(ca, cb)) {
    out.match = NameMatch::kSamePinyin;
    return out;
  }
  size_t differing = 0, at = 0;
  for (size_t i = 0; i < ca.size(); ++i)
    if (ca[i] != cb[i]) ++differing, at = i;
  if (differing != 1) return {};
  out.match = NameMatch::kOneCharacter;
  out.syllable_distance = SyllableDistance(ca[at], cb[at]);
  return out;
}

}  // namespace nemis::registry::quality
