// The score (0..100) of a suspected duplicate found by similar names: two students of the
// same gender and birth date whose names sound alike or differ in one character. Points:
//   name: same pinyin 60; one character different 50, 45 or 40 as that character's
//         syllables are 1, 2 or more edits apart (李敏/李明: 50). A two-character name
//         (surname + one given character) whose given character's syllable differs by two
//         or more is a different given name altogether: not similar (0).
//   ethnic group: the same +5, different -20 (a second registration copies it).
//   a shared guardian (same guardian ID number or same guardian name) +30: the same
//         parents registered the same child twice.
//   siblings: a shared guardian in the same school with names that differ -40: twins are
//         registered together, by one school, under two names (张小明/张小亮); a second
//         registration of one child by the same school would carry the same name, which
//         the exact rule (same_name_birth) finds.
// The default threshold (registry.duplicate_threshold) is 70: a homophone or one-character
// difference alone (65, 55 at most) is not listed; with a shared guardian it is (95; 75
// to 85).
#pragma once

#include <string>

#include "registry/quality/name_similarity.hpp"
#include "registry/quality/scan_row.hpp"

namespace nemis::registry::quality {

inline constexpr int kDefaultDuplicateThreshold = 70;

/// The pair's score, 0 when the names are not similar (kSamePinyin or kOneCharacter).
int SimilarityScore(const ScanRow& a, const ScanRow& b, const NameComparison& names);

/// The score's evidence as a JSON object of codes (no personal data).
std::string SimilarityDetails(const ScanRow& a, const ScanRow& b, const NameComparison& names);

}  // namespace nemis::registry::quality
