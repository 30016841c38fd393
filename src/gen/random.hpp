// Fast deterministic randomness for gen: xoshiro256** seeded with splitmix64, and
// weighted picks from precomputed slot tables (one multiply and one load per pick).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace nemis::gen {

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  /// `stream` separates independent sequences drawn from one seed.
  explicit Rng(uint64_t seed, uint64_t stream = 0) {
    uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ull);
    for (uint64_t& word : s_) word = SplitMix64(sm);
  }

  uint64_t Next() {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, n) by multiply-shift (Lemire); the bias is below 2^-32 for our n.
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(((Next() >> 32) * static_cast<uint64_t>(n)) >> 32);
  }
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint32_t>(hi - lo + 1)));
  }
  /// True with probability p.
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

/// Picks an index with probability proportional to its weight, resolved to 1/16384;
/// every positive weight keeps at least one slot.
class WeightedTable {
 public:
  static constexpr uint32_t kSlots = 1u << 14;

  WeightedTable() = default;
  explicit WeightedTable(std::span<const double> weights);

  uint16_t Pick(Rng& rng) const { return slots_[rng.Next() >> 50]; }
  size_t size() const { return size_; }

 private:
  std::vector<uint16_t> slots_;
  size_t size_ = 0;
};

}  // namespace nemis::gen
