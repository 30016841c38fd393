#include "gen/school_names.hpp"

#include "gen/pools.hpp"

namespace nemis::gen {
namespace {

constexpr std::string_view kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

std::string_view PickFrom(std::span<const std::string_view> pool, Rng& rng) {
  return pool[rng.Below(static_cast<uint32_t>(pool.size()))];
}

}  // namespace

std::string ChineseNumber(int n) {
  if (n <= 0 || n > 9999) return std::to_string(n);
  constexpr int kUnits[] = {1000, 100, 10, 1};
  constexpr std::string_view kUnitNames[] = {"千", "百", "十", ""};
  std::string out;
  bool pending_zero = false;
  for (int i = 0; i < 4; ++i) {
    int d = n / kUnits[i] % 10;
    if (d == 0) {
      pending_zero = !out.empty();
      continue;
    }
    if (pending_zero) out += kDigits[0];
    pending_zero = false;
    if (!(kUnits[i] == 10 && d == 1 && out.empty())) out += kDigits[d];  // 十二, not 一十二
    out += kUnitNames[i];
  }
  return out;
}

std::string SchoolNamer::Numbered(const std::string& stem, std::string_view suffix) {
  int& n = counts_[stem + "|" + std::string(suffix) + "|#"];
  std::string name;
  do {
    name = stem + "第" + ChineseNumber(++n) + std::string(suffix);
  } while (!used_.insert(name).second);
  return name;
}

std::string SchoolNamer::Unique(const std::string& stem, std::string_view suffix) {
  std::string name = stem + std::string(suffix);
  if (used_.insert(name).second) return name;
  return Numbered(stem, suffix);
}

std::string SchoolNamer::College(std::string_view suffix, Rng& rng) {
  for (int attempt = 0; attempt < 64; ++attempt) {
    bool provincial = city_short_names_.empty() || rng.Chance(0.5);
    const std::string& place =
        provincial ? province_short_
                   : city_short_names_[rng.Below(static_cast<uint32_t>(city_short_names_.size()))];
    std::string name = place + std::string(PickFrom(CollegeSubjects(), rng)) + std::string(suffix);
    if (used_.insert(name).second) return name;
  }
  return Numbered(province_short_ + std::string(PickFrom(CollegeSubjects(), rng)), suffix);
}

std::string SchoolNamer::Name(std::string_view type, const Place& place, bool rural,
                              bool is_private, Rng& rng) {
  const std::string local = place.Local();
  const std::string& county = place.county_name;
  const std::string& city = place.city_name.empty() ? place.county_name : place.city_name;
  std::string brand(PickFrom(SchoolBrandNames(), rng));
  std::string village(PickFrom(VillageNames(), rng));
  if (type == "111") {
    if (is_private) return Unique(county + brand, "幼儿园");
    return rural ? Unique(county + village, "中心幼儿园") : Numbered(local, "幼儿园");
  }
  if (type == "211") return rural ? Unique(county + village, "小学") : Numbered(local, "小学");
  if (type == "218") return Unique(county + village, "教学点");
  if (type == "311") return rural ? Unique(county + village, "中学") : Numbered(local, "初级中学");
  if (type == "312") return Unique(local + brand, "学校");
  if (type == "341") return Numbered(local, "中学");
  if (type == "342") return Numbered(local, "高级中学");
  if (type == "345") return Unique(local + brand, "外国语学校");
  if (type == "361") return Unique(city + brand, "中等专业学校");
  if (type == "362") return Unique(city, "师范学校");
  if (type == "364") return Unique(local, "职业技术学校");
  if (type == "365")
    return Unique(city + std::string(PickFrom(CollegeSubjects(), rng)), "技工学校");
  if (type == "411") return College("大学", rng);
  if (type == "412") return College("学院", rng);
  if (type == "413")
    return Unique(province_short_ + std::string(PickFrom(CollegeSubjects(), rng)) + "大学" + brand,
                  "学院");
  if (type == "414") return College("高等专科学校", rng);
  if (type == "415") return College("职业技术学院", rng);
  if (type == "511") return Unique(city, "盲人学校");
  if (type == "512") return Unique(city, "聋人学校");
  if (type == "514") return Unique(local, "培智学校");
  return Unique(local, "特殊教育学校");
}

}  // namespace nemis::gen
