// The places of a generated province, taken from the real GB/T 2260 table: every
// county (or prefecture without counties) with the name forms gen writes, and the
// counties elsewhere that migrant families come from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nemis::gen {

struct Place {
  std::string code;           // a county, or a prefecture without counties (东莞 441900)
  std::string prefecture;     // its prefecture-level code (441900, 440100, 429000)
  std::string province_name;  // 广东省
  std::string city_name;  // 广州市; the municipality for 北京; empty for 仙桃市 and 东莞市 itself
  std::string county_name;  // 天河区, 东莞市, 仙桃市
  bool in_capital = false;  // under the province's first prefecture (the capital)

  /// 广州市天河区, 东莞市, 仙桃市: the local stem of school names.
  std::string Local() const { return city_name + county_name; }
  /// 广东省广州市天河区, 北京市朝阳区: the start of a postal address.
  std::string AddressPrefix() const;
};

/// The province's places in code order; empty when the province has none (or is unknown).
std::vector<Place> ProvincePlaces(std::string_view province);

/// `count` distinct current counties of other provinces, weighted towards the provinces
/// that send the most migrant workers; deterministic for a seed.
std::vector<std::string> MigrantSourceCounties(std::string_view province, uint64_t seed,
                                               size_t count);

/// 广东省 -> 广东, 广西壮族自治区 -> 广西, 北京市 -> 北京.
std::string ShortProvinceName(std::string_view name);
/// 广州市 -> 广州, 大兴安岭地区 -> 大兴安岭; other names unchanged.
std::string ShortCityName(std::string_view name);

}  // namespace nemis::gen
