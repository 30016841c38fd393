// How alike two names are: the same name, the same sound (张小明 and 张晓明, compared by
// toneless pinyin, codes/pinyin.hpp), or one character different (a typo, or a
// homophone in one place), with how far apart that character's syllables are.
#pragma once

#include <string_view>

namespace nemis::registry::quality {

enum class NameMatch { kNone, kExact, kSamePinyin, kOneCharacter };

struct NameComparison {
  NameMatch match = NameMatch::kNone;
  int characters = 0;         // of the names (equal unless kNone)
  int syllable_distance = 0;  // kOneCharacter: edit distance of the differing syllables
};

NameComparison CompareNames(std::string_view a, std::string_view b);

/// Levenshtein distance of two byte strings (syllables are ASCII).
int EditDistance(std::string_view a, std::string_view b);

}  // namespace nemis::registry::quality
