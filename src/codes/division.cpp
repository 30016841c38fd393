#include "codes/division.hpp"

#include <algorithm>
#include <atomic>

#include "codes/division_data.hpp"
#include "codes/division_index.hpp"

namespace nemis::codes {
namespace internal {

int DivisionCodeNumber(std::string_view code) {
  if (code.size() != 6) return -1;
  int n = 0;
  for (char c : code) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// Address codes (see IsAddressCode): county-level codes, and prefecture-level codes with
// nothing under them but 市辖区 aggregate rows. One bit per possible code: 125 KB, then a
// single load per lookup.
void IndexDivisions(DivisionIndex& index) {
  index.known.reset();
  index.address.reset();
  std::bitset<10000> has_counties;  // by the first 4 digits
  for (const Division& d : index.rows) {
    index.known.set(static_cast<size_t>(DivisionCodeNumber(d.code)));
    if (d.code.substr(4, 2) != "00" && d.name != "市辖区")
      has_counties.set(static_cast<size_t>(DivisionCodeNumber(d.code) / 100));
  }
  for (const Division& d : index.rows) {
    auto level = DivisionLevelOf(d.code);
    int n = DivisionCodeNumber(d.code);
    if (level == DivisionLevel::kCounty ||
        (level == DivisionLevel::kPrefecture && !has_counties.test(static_cast<size_t>(n / 100))))
      index.address.set(static_cast<size_t>(n));
  }
}

namespace {

std::atomic<const DivisionIndex*> published{nullptr};
thread_local const DivisionIndex* scoped = nullptr;

const DivisionIndex& CompiledDivisions() {
  static const auto* const index = [] {
    auto* built = new DivisionIndex();
    auto table = DivisionTable();
    built->rows.assign(table.begin(), table.end());
    IndexDivisions(*built);
    return built;
  }();
  return *index;
}

}  // namespace

const DivisionIndex& CurrentDivisions() {
  if (scoped != nullptr) return *scoped;
  const DivisionIndex* index = published.load(std::memory_order_acquire);
  return index ? *index : CompiledDivisions();
}

void PublishDivisions(const DivisionIndex* index) {
  published.store(index, std::memory_order_release);
}

ScopedDivisions::ScopedDivisions(const DivisionIndex& index) : previous_(scoped) {
  scoped = &index;
}

ScopedDivisions::~ScopedDivisions() { scoped = previous_; }

}  // namespace internal

namespace {

using internal::CurrentDivisions;
using internal::DivisionCodeNumber;

// County-level units directly under a province: xx90zz, and the retired xx00zz form
// (Hainan's 460001-460039 before 2002).
bool IsProvinceDirectGroup(std::string_view code6) {
  return code6.substr(2, 2) == "90" || code6.substr(2, 2) == "00";
}

}  // namespace

const Division* FindDivision(std::string_view code6) {
  if (!IsKnownDivision(code6)) return nullptr;
  const std::vector<Division>& rows = CurrentDivisions().rows;
  auto it = std::lower_bound(rows.begin(), rows.end(), code6,
                             [](const Division& d, std::string_view c) { return d.code < c; });
  return it != rows.end() && it->code == code6 ? &*it : nullptr;
}

bool IsKnownDivision(std::string_view code6) {
  int n = DivisionCodeNumber(code6);
  return n >= 0 && CurrentDivisions().known.test(static_cast<size_t>(n));
}

bool IsAddressCode(std::string_view code6) {
  int n = DivisionCodeNumber(code6);
  return n >= 0 && CurrentDivisions().address.test(static_cast<size_t>(n));
}

std::optional<DivisionLevel> DivisionLevelOf(std::string_view code6) {
  if (DivisionCodeNumber(code6) < 0) return std::nullopt;
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
  for (const Division& d : CurrentDivisions().rows) {
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
  const std::vector<Division>& rows = CurrentDivisions().rows;
  all.reserve(rows.size());
  for (const Division& d : rows) all.push_back(&d);
  return all;
}

}  // namespace nemis::codes
