// The word pools gen draws people and places from: surnames with their real
// frequencies, given-name characters, ethnic groups, phone prefixes, street and
// village names. Static data; the weights are rough national figures.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace nemis::gen {

struct WeightedText {
  std::string_view text;
  double weight;
};

/// Surnames with national frequencies (per cent of the population, approximate).
std::span<const WeightedText> Surnames();
/// The same list reweighted for a province (陈 黄 林 梁 ... in Guangdong).
std::vector<double> SurnameWeights(std::string_view province);

std::span<const std::string_view> MaleNameCharacters();
std::span<const std::string_view> FemaleNameCharacters();
/// Characters outside the Basic Multilingual Plane (4-byte UTF-8) seen in real names.
std::span<const std::string_view> RareNameCharacters();
/// Uyghur and Kazakh personal names, joined with U+00B7 into 本人名·父名.
std::span<const std::string_view> UyghurMaleNames();
std::span<const std::string_view> UyghurFemaleNames();

/// Ethnic groups (GB/T 3304 codes) weighted for a school population in the south.
std::span<const WeightedText> Ethnicities();

/// Mobile prefixes 13x/15x/18x.
std::span<const std::string_view> MobilePrefixes();
std::span<const std::string_view> StreetNames();
std::span<const std::string_view> VillageNames();
/// Words for school names (明德, 育才 ...).
std::span<const std::string_view> SchoolBrandNames();
/// Subjects for higher-education names (财经, 海洋 ...).
std::span<const std::string_view> CollegeSubjects();

}  // namespace nemis::gen
