#include "gen/schools.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <tuple>
#include <utility>

#include "codes/division.hpp"
#include "gen/csv_buffer.hpp"
#include "gen/geo.hpp"
#include "gen/places.hpp"
#include "gen/pools.hpp"
#include "gen/random.hpp"
#include "gen/school_names.hpp"

namespace nemis::gen {
namespace {

// Share of all students and average enrolment per school type, after Guangdong's
// statistics: many kindergartens and primary schools, fewer secondary schools.
struct TypePlan {
  std::string_view type;
  double share;
  uint32_t average_size;
};
constexpr TypePlan kTypePlans[] = {
    {"111", 0.160, 200},   {"211", 0.330, 800},   {"218", 0.003, 40},   {"311", 0.100, 1200},
    {"312", 0.080, 1500},  {"341", 0.060, 2200},  {"342", 0.060, 2500}, {"345", 0.010, 2500},
    {"361", 0.015, 2000},  {"362", 0.002, 1200},  {"364", 0.020, 2000}, {"365", 0.015, 2000},
    {"411", 0.040, 25000}, {"412", 0.030, 12000}, {"413", 0.005, 9000}, {"414", 0.005, 6000},
    {"415", 0.040, 12000}, {"511", 0.0002, 150},  {"512", 0.0003, 150}, {"514", 0.001, 150},
    {"515", 0.0005, 150},
};
constexpr size_t kPrimaryPlan = 1;
// From this size on every school type gets at least one school.
constexpr uint64_t kEveryTypeFrom = 10000;

using Choices = std::initializer_list<std::pair<std::string_view, double>>;

std::string_view Choose(Choices choices, Rng& rng) {
  double total = 0;
  for (const auto& c : choices) total += c.second;
  double x = rng.Uniform() * total;
  for (const auto& c : choices) {
    if (x < c.second) return c.first;
    x -= c.second;
  }
  return choices.begin()->first;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view PickUrbanRural(std::string_view type, const Place& place, Rng& rng) {
  if (type[0] == '4') return "111";
  if (type == "218") return "220";
  bool secondary = type[0] == '3' && type != "311" && type != "312";
  double rural = secondary ? 0 : 1;
  if (EndsWith(place.county_name, "区"))
    return Choose({{"111", 60},
                   {"112", 25},
                   {"121", 8},
                   {"122", 4},
                   {"123", 0.5},
                   {"210", 2 * rural},
                   {"220", 0.5 * rural}},
                  rng);
  if (EndsWith(place.county_name, "市"))
    return Choose({{"111", 25},
                   {"112", 15},
                   {"121", 30},
                   {"122", 10},
                   {"123", 0.5},
                   {"210", 10 * rural},
                   {"220", 9.5 * rural}},
                  rng);
  return Choose({{"111", 5},
                 {"112", 5},
                 {"121", 35},
                 {"122", 10},
                 {"123", 0.5},
                 {"210", 20 * rural},
                 {"220", 24.5 * rural}},
                rng);
}

std::string_view PickSponsor(std::string_view type, Rng& rng) {
  if (type == "111") return Choose({{"11", 40}, {"21", 50}, {"16", 5}, {"14", 5}}, rng);
  if (type == "413") return "21";
  if (type == "365") return "12";  // 技工学校 belong to the human-resources departments
  if (type[0] == '4') return Choose({{"11", 60}, {"12", 15}, {"21", 25}}, rng);
  if (type[0] == '3' && type[1] == '6')
    return Choose({{"11", 55}, {"12", 15}, {"13", 10}, {"21", 20}}, rng);
  if (type[0] == '5' || type == "218") return "11";
  return Choose({{"11", 88}, {"21", 9}, {"13", 1.5}, {"12", 1.5}}, rng);
}

// Student budget per type: proportional shares, every remainder to primary schools.
std::vector<uint64_t> TypeBudgets(uint64_t students) {
  double total_share = 0;
  for (const TypePlan& p : kTypePlans) total_share += p.share;
  std::vector<uint64_t> budgets;
  uint64_t assigned = 0;
  for (const TypePlan& p : kTypePlans) {
    budgets.push_back(static_cast<uint64_t>(static_cast<double>(students) * p.share / total_share));
    assigned += budgets.back();
  }
  budgets[kPrimaryPlan] += students - assigned;
  return budgets;
}

std::vector<uint64_t> SchoolCounts(uint64_t students, std::vector<uint64_t>& budgets) {
  std::vector<uint64_t> counts(budgets.size());
  for (size_t i = 0; i < budgets.size(); ++i) {
    if (i == kPrimaryPlan) continue;
    counts[i] = std::llround(static_cast<double>(budgets[i]) / kTypePlans[i].average_size);
    if (students >= kEveryTypeFrom) counts[i] = std::max<uint64_t>(counts[i], 1);
    if (counts[i] == 0) {  // too small for this type: its students go to primary schools
      budgets[kPrimaryPlan] += budgets[i];
      budgets[i] = 0;
    }
  }
  counts[kPrimaryPlan] =
      std::max<uint64_t>(1, std::llround(static_cast<double>(budgets[kPrimaryPlan]) /
                                         kTypePlans[kPrimaryPlan].average_size));
  return counts;
}

// Splits a budget over `count` schools of varying size (0.5x to 1.5x), each with at least one
// student when the budget allows.
std::vector<uint64_t> SplitBudget(uint64_t budget, uint64_t count, Rng& rng) {
  std::vector<double> weights(count);
  double total = 0;
  for (double& w : weights) total += (w = 0.5 + rng.Uniform());
  uint64_t base = budget >= count ? 1 : 0, spare = budget - base * count, given = 0;
  std::vector<uint64_t> sizes(count);
  for (uint64_t i = 0; i < count; ++i) {
    sizes[i] = base + static_cast<uint64_t>(static_cast<double>(spare) * weights[i] / total);
    given += sizes[i];
  }
  for (uint64_t i = 0; given < budget; i = (i + 1) % count, ++given) ++sizes[i];
  return sizes;
}

struct Coordinates {
  double longitude, latitude;
};

Coordinates PlaceCentre(const Place& place, const ProvinceBox& box) {
  uint64_t h = std::stoull(place.code) * 0x9E3779B97F4A7C15ull;
  double u = static_cast<double>(SplitMix64(h) >> 11) * 0x1.0p-53;
  double v = static_cast<double>(SplitMix64(h) >> 11) * 0x1.0p-53;
  if (place.in_capital)
    return {box.capital_longitude + (u - 0.5) * 0.7, box.capital_latitude + (v - 0.5) * 0.7};
  return {box.west + (0.08 + 0.84 * u) * (box.east - box.west),
          box.south + (0.08 + 0.84 * v) * (box.north - box.south)};
}

Coordinates SchoolCoordinates(const Place& place, const ProvinceBox& box, bool urban, Rng& rng) {
  Coordinates c = PlaceCentre(place, box);
  double spread = urban ? 0.06 : 0.25;
  c.longitude = std::clamp(c.longitude + (rng.Uniform() - 0.5) * spread, box.west, box.east);
  c.latitude = std::clamp(c.latitude + (rng.Uniform() - 0.5) * spread, box.south, box.north);
  return c;
}

class SchoolMaker {
 public:
  SchoolMaker(const GenOptions& options, std::vector<Place> places, const codes::Division& province)
      : options_(options),
        places_(std::move(places)),
        rng_(options.seed, /*stream=*/0x5C400L),
        namer_(std::string(province.name), CityShortNames()),
        box_(FindProvinceBox(options.province).value_or(ProvinceBox{"", 0, 0, 0, 0, 0, 0})) {
    std::vector<double> weights;
    for (size_t i = 0; i < places_.size(); ++i) {
      const Place& p = places_[i];
      weights.push_back(p.code == p.prefecture ? 6.0 : EndsWith(p.county_name, "区") ? 1.2 : 1.0);
      if (p.in_capital) capital_.push_back(i);
    }
    if (capital_.empty()) capital_.push_back(0);
    place_table_ = WeightedTable(weights);
  }

  GenSchool Make(std::string_view type, uint64_t students) {
    bool higher = type[0] == '4';
    const Place& place = higher
                             ? places_[capital_[rng_.Below(static_cast<uint32_t>(capital_.size()))]]
                             : places_[place_table_.Pick(rng_)];
    GenSchool s;
    s.school_type = std::string(type);
    s.category = std::string(type.substr(0, 2));
    s.division = higher ? options_.province : place.code;
    s.urban_rural = std::string(PickUrbanRural(type, place, rng_));
    s.sponsor = std::string(PickSponsor(type, rng_));
    bool urban = s.urban_rural[0] == '1' && s.urban_rural[1] == '1';
    bool rural = s.urban_rural[0] == '2';
    s.name = namer_.Name(type, place, rural, s.sponsor == "21", rng_);
    s.code = NextCode(s.category);
    s.address = Address(place, rural);
    Coordinates c = SchoolCoordinates(place, box_, urban, rng_);
    s.longitude = c.longitude;
    s.latitude = c.latitude;
    s.students = students;
    return s;
  }

  Rng& rng() { return rng_; }

 private:
  std::vector<std::string> CityShortNames() const {
    std::vector<std::string> names;
    for (const Place& p : places_) {
      std::string city = ShortCityName(p.city_name.empty() ? p.county_name : p.city_name);
      if (std::find(names.begin(), names.end(), city) == names.end()) names.push_back(city);
    }
    return names;
  }

  // Sequences start at a random point and leave small gaps, as real registers do.
  std::string NextCode(const std::string& category) {
    auto [it, inserted] = next_sequence_.try_emplace(category, 0);
    if (inserted) it->second = static_cast<uint32_t>(rng_.Between(1, 300));
    uint32_t sequence = it->second;
    it->second += static_cast<uint32_t>(rng_.Between(1, 3));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06u", sequence);
    return category + options_.province.substr(0, 2) + buf;
  }

  std::string Address(const Place& place, bool rural) {
    if (rural) {
      return place.AddressPrefix() +
             std::string(VillageNames()[rng_.Below(static_cast<uint32_t>(VillageNames().size()))]) +
             "村";
    }
    return place.AddressPrefix() +
           std::string(StreetNames()[rng_.Below(static_cast<uint32_t>(StreetNames().size()))]) +
           std::to_string(rng_.Between(1, 999)) + "号";
  }

  const GenOptions& options_;
  std::vector<Place> places_;
  Rng rng_;
  SchoolNamer namer_;
  ProvinceBox box_;
  WeightedTable place_table_;
  std::vector<size_t> capital_;
  std::map<std::string, uint32_t> next_sequence_;
};

}  // namespace

std::vector<GenSchool> GenerateSchools(const GenOptions& options) {
  std::vector<Place> places = ProvincePlaces(options.province);
  const codes::Division* province = codes::FindDivision(options.province);
  if (places.empty() || province == nullptr) return {};
  SchoolMaker maker(options, std::move(places), *province);
  std::vector<uint64_t> budgets = TypeBudgets(options.students);
  std::vector<uint64_t> counts = SchoolCounts(options.students, budgets);
  std::vector<GenSchool> schools;
  for (size_t i = 0; i < std::size(kTypePlans); ++i) {
    for (uint64_t size : SplitBudget(budgets[i], counts[i], maker.rng()))
      schools.push_back(maker.Make(kTypePlans[i].type, size));
  }
  std::sort(schools.begin(), schools.end(), [](const GenSchool& a, const GenSchool& b) {
    return std::tie(a.division, a.code) < std::tie(b.division, b.code);
  });
  return schools;
}

Status WriteSchoolsCsv(const std::vector<GenSchool>& schools, std::FILE* out) {
  CsvBuffer buf(out);
  buf.Append("学校标识码,学校名称,办学类型,学校类别,举办者,城乡分类,所在区划,地址,经度,纬度\n");
  for (const GenSchool& s : schools) {
    for (const std::string* field : {&s.code, &s.name, &s.school_type, &s.category, &s.sponsor,
                                     &s.urban_rural, &s.division, &s.address}) {
      buf.Append(*field);
      buf.Comma();
    }
    int n = std::snprintf(buf.cursor(), 64, "%.6f,%.6f\n", s.longitude, s.latitude);
    buf.Advance(static_cast<size_t>(n));
    NEMIS_TRY(buf.EndRow());
  }
  return buf.Flush();
}

}  // namespace nemis::gen
