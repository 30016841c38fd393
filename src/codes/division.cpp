#include "codes/division.hpp"

#include <algorithm>
#include <bitset>

#include "codes/division_data.hpp"

namespace nemis::codes {
namespace {

constexpr int kCodeSpace = 1000000;

// The code as a number, or -1 unless it is exactly six ASCII digits.
int CodeNumber(std::string_view code) {
  if (code.size() != 6) return -1;
  int n = 0;
  for (char c : code) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// One bit per possible code: 125 KB, built once, then a single load per lookup.
const std::bitset<kCodeSpace>& KnownCodes() {
  static const auto* const bits = [] {
    auto* b = new std::bitset<kCodeSpace>();
    for (const Division& d : internal::DivisionTable())
      b->set(static_cast<size_t>(CodeNumber(d.code)));
    return b;
  }();
  return *bits;
}

// Address codes (see IsAddressCode): county-level codes, and prefecture-level codes
// with nothing under them but 市辖区 aggregate rows.
const std::bitset<kCodeSpace>& AddressCodes() {
  static const auto* const bits = [] {
    auto table = internal::DivisionTable();
    std::bitset<10000> has_counties;  // by the first 4 digits
    for (const Division& d : table)
      if (d.code.substr(4, 2) != "00" && d.name != "市辖区")
        has_counties.set(static_cast<size_t>(CodeNumber(d.code) / 100));
    auto* b = new std::bitset<kCodeSpace>();
    for (const Division& d : table) {
      auto level = DivisionLevelOf(d.code);
      int n = CodeNumber(d.code);
      if (level == DivisionLevel::kCounty ||
          (level == DivisionLevel::kPrefecture && !has_counties.test(static_cast<size_t>(n / 100))))
        b->set(static_cast<size_t>(n));
    }
    return b;
  }();
  return *bits;
}

// County-level units directly under a province: xx90zz, and the retired xx00zz form
// (Hainan's 460001-460039 before 2002).
bool IsProvinceDirectGroup(std::string_view code6) {
  return code6.substr(2, 2) == "90" || code6.substr(2, 2) == "00";
}

}  // namespace

const Division* FindDivision(std::string_view code6) {
  if (!IsKnownDivision(code6)) return nullptr;
  auto table = internal::DivisionTable();
  auto it = std::lower_bound(table.begin(), table.end(), code6,
                             [](const Division& d, std::string_view c) { return d.code < c; });
  return it != table.end() && it->code == code6 ? &*it : nullptr;
}

bool IsKnownDivision(std::string_view code6) {
  int n = CodeNumber(code6);
  return n >= 0 && KnownCodes().test(static_cast<size_t>(n));
}

bool IsAddressCode(std::string_view code6) {
  int n = CodeNumber(code6);
  return n >= 0 && AddressCodes().test(static_cast<size_t>(n));
}

std::optional<DivisionLevel> DivisionLevelOf(std::string_view code6) {
  if (CodeNumber(code6) < 0) return std::nullopt;
  std::string_view province = code6.substr(0, 2), prefecture = code6.substr(2, 2),
                   county = code6.substr(4, 2);
  if (province == "00") return std::nullopt;
  if (county != "00") return DivisionLevel::kCounty;
  return prefecture == "00" ? DivisionLevel::kProvince : DivisionLevel::kPrefecture;
}

std::string ProvinceOf(std::string_view code6) {
  if (!DivisionLevelOf(code6)) return {};
  return std::string(code6.substr(0, 2)) + "0000";
}

std::string PrefectureOf(std::string_view code6) {
  auto level = DivisionLevelOf(code6);
  if (!level || code6.substr(2, 2) == "00") return {};
  return std::string(code6.substr(0, 4)) + "00";
}

std::vector<const Division*> ChildDivisions(std::string_view code6) {
  std::vector<const Division*> children;
  auto level = DivisionLevelOf(code6);
  if (!level || *level == DivisionLevel::kCounty) return children;
  // Children share the parent's non-zero prefix: 2 digits for a province, 4 for a prefecture.
  size_t prefix = *level == DivisionLevel::kProvince ? 2 : 4;
  for (const Division& d : internal::DivisionTable()) {
    if (!d.current || d.code.substr(0, prefix) != code6.substr(0, prefix) || d.code == code6)
      continue;
    auto child_level = *DivisionLevelOf(d.code);
    bool wanted =
        *level == DivisionLevel::kProvince
            ? (child_level == DivisionLevel::kPrefecture && !IsProvinceDirectGroup(d.code)) ||
                  (child_level == DivisionLevel::kCounty && IsProvinceDirectGroup(d.code))
            : child_level == DivisionLevel::kCounty;
    if (wanted) children.push_back(&d);
  }
  return children;
}

std::vector<const Division*> AllDivisions() {
  std::vector<const Division*> all;
  auto table = internal::DivisionTable();
  all.reserve(table.size());
  for (const Division& d : table) all.push_back(&d);
  return all;
}

}  // namespace nemis::codes
