#include "gen/random.hpp"

#include <algorithm>
#include <cassert>
#include <numeric>

namespace nemis::gen {

// Largest-remainder apportionment of kSlots, after giving each positive weight one slot.
WeightedTable::WeightedTable(std::span<const double> weights) : size_(weights.size()) {
  assert(!weights.empty() && weights.size() < kSlots);
  double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  size_t positive = std::count_if(weights.begin(), weights.end(), [](double w) { return w > 0; });
  std::vector<uint32_t> counts(weights.size());
  std::vector<double> remainders(weights.size());
  uint32_t spare = kSlots - static_cast<uint32_t>(positive), used = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    double exact = weights[i] / total * spare;
    counts[i] = 1 + static_cast<uint32_t>(exact);
    remainders[i] = exact - static_cast<uint32_t>(exact);
    used += counts[i];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t i = 0; used < kSlots; i = (i + 1) % order.size()) {
    if (weights[order[i]] <= 0) continue;
    ++counts[order[i]];
    ++used;
  }
  slots_.reserve(kSlots);
  for (size_t i = 0; i < counts.size(); ++i)
    slots_.insert(slots_.end(), counts[i], static_cast<uint16_t>(i));
}

}  // namespace nemis::gen
