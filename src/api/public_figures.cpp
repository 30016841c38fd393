#include "api/public_figures.hpp"

#include <algorithm>
#include <array>

namespace nemis::api {
namespace {

struct BandEdge {
  int64_t min;
  std::optional<int64_t> max;
  const char* label;
};

constexpr std::array<BandEdge, 5> kBands = {{
    {0, 99, "<100"},
    {100, 499, "100–499"},
    {500, 999, "500–999"},
    {1000, 1999, "1000–1999"},
    {2000, std::nullopt, "≥2000"},
}};

}  // namespace

StudentBand BandOf(int64_t students) {
  for (const auto& band : kBands)
    if (!band.max || students <= *band.max) return {band.min, band.max, band.label};
  return {};  // not reached: the last band has no top
}

void SuppressSmallCells(std::vector<Cell>& cells, int64_t min_cell, bool total_shown) {
  int withheld = 0;
  for (auto& cell : cells) {
    cell.suppressed = cell.count > 0 && cell.count < min_cell;
    if (cell.suppressed) ++withheld;
  }
  if (!total_shown || withheld != 1) return;
  auto smallest = cells.end();
  for (auto it = cells.begin(); it != cells.end(); ++it)
    if (!it->suppressed && it->count > 0 &&
        (smallest == cells.end() || it->count < smallest->count))
      smallest = it;
  if (smallest != cells.end()) smallest->suppressed = true;
}

int64_t RoundToBase(int64_t count, int64_t base) {
  if (base <= 1) return count;
  return (count + base / 2) / base * base;
}

}  // namespace nemis::api
