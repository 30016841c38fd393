// Internal to gen: names for generated schools (广州市天河区第三小学, 天河区明德幼儿园,
// 广东财经大学), unique within a province.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "gen/places.hpp"
#include "gen/random.hpp"

namespace nemis::gen {

/// 1 -> 一, 12 -> 十二, 105 -> 一百零五 (up to 9999; larger numbers in digits).
std::string ChineseNumber(int n);

class SchoolNamer {
 public:
  SchoolNamer(std::string_view province_name, std::vector<std::string> city_short_names)
      : province_short_(ShortProvinceName(province_name)),
        city_short_names_(std::move(city_short_names)) {}

  /// A name for a school of `type` (3 digits) in `place`; `rural` picks village-style names.
  std::string Name(std::string_view type, const Place& place, bool rural, bool is_private,
                   Rng& rng);

 private:
  std::string Numbered(const std::string& stem, std::string_view suffix);
  std::string Unique(const std::string& stem, std::string_view suffix);
  std::string College(std::string_view suffix, Rng& rng);

  std::string province_short_;
  std::vector<std::string> city_short_names_;
  std::map<std::string, int> counts_;
  std::set<std::string> used_;
};

}  // namespace nemis::gen
