#include "gen/places.hpp"

#include <set>

#include "codes/division.hpp"
#include "gen/random.hpp"

namespace nemis::gen {
namespace {

using codes::Division;

// County parts 71-80 are NBS development zones, not places where people register.
bool IsStatisticalZone(std::string_view code) {
  return code[4] == '7' || code.substr(4, 2) == "80";
}

bool IsMunicipality(std::string_view province) {
  return province == "11" || province == "12" || province == "31" || province == "50";
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Provinces that send the most migrant workers to the coast.
constexpr std::string_view kSourceProvinces[] = {"43", "45", "51", "36", "42",
                                                 "41", "52", "50", "34", "35"};

Place MakePlace(const Division& county, const Division* prefecture,
                std::string_view province_name) {
  Place p;
  p.code = std::string(county.code);
  p.prefecture = codes::PrefectureOf(county.code);
  p.province_name = std::string(province_name);
  p.county_name = std::string(county.name);
  bool direct = county.code.substr(2, 2) == "90";
  if (IsMunicipality(county.code.substr(0, 2))) {
    p.city_name = std::string(province_name);
  } else if (prefecture != nullptr && !direct && prefecture != &county) {
    p.city_name = std::string(prefecture->name);
  }
  p.in_capital = county.code.substr(2, 2) == "01";
  return p;
}

}  // namespace

std::string Place::AddressPrefix() const {
  return (city_name == province_name ? std::string() : province_name) + city_name + county_name;
}

std::vector<Place> ProvincePlaces(std::string_view province) {
  std::vector<Place> places;
  const Division* p = codes::FindDivision(province);
  if (p == nullptr || codes::DivisionLevelOf(province) != codes::DivisionLevel::kProvince)
    return places;
  for (const Division* child : codes::ChildDivisions(province)) {
    if (codes::DivisionLevelOf(child->code) == codes::DivisionLevel::kCounty) {
      places.push_back(MakePlace(*child, nullptr, p->name));
      continue;
    }
    size_t before = places.size();
    for (const Division* county : codes::ChildDivisions(child->code))
      if (!IsStatisticalZone(county->code)) places.push_back(MakePlace(*county, child, p->name));
    if (places.size() == before) places.push_back(MakePlace(*child, child, p->name));
  }
  return places;
}

std::vector<std::string> MigrantSourceCounties(std::string_view province, uint64_t seed,
                                               size_t count) {
  std::vector<std::string_view> candidates;
  std::vector<double> weights;
  for (const Division* d : codes::AllDivisions()) {
    std::string_view prov = d->code.substr(0, 2);
    if (!d->current || prov == province.substr(0, 2) || prov == "71" || prov == "81" ||
        prov == "82")
      continue;
    if (codes::DivisionLevelOf(d->code) != codes::DivisionLevel::kCounty ||
        IsStatisticalZone(d->code))
      continue;
    double w = 1.0;
    for (std::string_view s : kSourceProvinces)
      if (prov == s) w = 4.0;
    candidates.push_back(d->code);
    weights.push_back(w);
  }
  WeightedTable table(weights);
  Rng rng(seed, /*stream=*/0x6D16);
  std::set<std::string_view> chosen;
  std::vector<std::string> out;
  while (out.size() < count && chosen.size() < candidates.size()) {
    std::string_view code = candidates[table.Pick(rng)];
    if (chosen.insert(code).second) out.emplace_back(code);
  }
  return out;
}

std::string ShortProvinceName(std::string_view name) {
  for (std::string_view suffix :
       {"壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"})
    if (EndsWith(name, suffix)) return std::string(name.substr(0, name.size() - suffix.size()));
  return std::string(name);
}

std::string ShortCityName(std::string_view name) {
  for (std::string_view suffix : {"地区", "市", "盟"})
    if (EndsWith(name, suffix)) return std::string(name.substr(0, name.size() - suffix.size()));
  return std::string(name);
}

}  // namespace nemis::gen
