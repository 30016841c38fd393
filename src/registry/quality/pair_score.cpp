#include "registry/quality/pair_score.hpp"

#include <algorithm>

namespace nemis::registry::quality {
namespace {

constexpr int kSamePinyinPoints = 60;
constexpr int kOneCharacterPoints[] = {50, 50, 45, 40};  // by syllable distance, capped at 3
constexpr int kSameEthnicityPoints = 5;
constexpr int kOtherEthnicityPoints = -20;
constexpr int kSharedGuardianPoints = 30;
constexpr int kSiblingPoints = -40;

int NamePoints(const NameComparison& n) {
  if (n.match == NameMatch::kSamePinyin) return kSamePinyinPoints;
  if (n.match != NameMatch::kOneCharacter) return 0;
  if (n.characters <= 2 && n.syllable_distance >= 2) return 0;
  return kOneCharacterPoints[std::min(n.syllable_distance, 3)];
}

bool Siblings(const ScanRow& a, const ScanRow& b) {
  return a.school_id == b.school_id && ShareGuardian(a, b);
}

}  // namespace

int SimilarityScore(const ScanRow& a, const ScanRow& b, const NameComparison& names) {
  int points = NamePoints(names);
  if (points == 0) return 0;
  if (a.ethnicity != 0 && b.ethnicity != 0)
    points += a.ethnicity == b.ethnicity ? kSameEthnicityPoints : kOtherEthnicityPoints;
  if (ShareGuardian(a, b)) points += kSharedGuardianPoints;
  if (Siblings(a, b)) points += kSiblingPoints;
  return std::clamp(points, 0, 100);
}

std::string SimilarityDetails(const ScanRow& a, const ScanRow& b, const NameComparison& names) {
  std::string out = R"({"name":")";
  out += names.match == NameMatch::kSamePinyin ? "same_pinyin" : "one_character";
  if (names.match == NameMatch::kOneCharacter)
    out += R"(","syllableDistance":)" + std::to_string(names.syllable_distance);
  else
    out += '"';
  out += std::string(R"(,"sameEthnicity":)") + (a.ethnicity == b.ethnicity ? "true" : "false");
  out += std::string(R"(,"sharedGuardian":)") + (ShareGuardian(a, b) ? "true" : "false");
  out += std::string(R"(,"sameSchool":)") + (a.school_id == b.school_id ? "true" : "false");
  return out + "}";
}

}  // namespace nemis::registry::quality
