#include "importer/first_occurrence.hpp"

#include <stdexcept>

namespace nemis::importer {
namespace {

// splitmix64 finaliser: packed IDs share long prefixes, so mix before masking.
uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t FirstOccurrence::Insert(uint64_t key, uint64_t line) {
  if (key == kEmpty) throw std::invalid_argument("FirstOccurrence: reserved key");
  if (2 * (used_ + 1) > keys_.size()) Grow();
  size_t mask = keys_.size() - 1;
  for (size_t i = Mix(key) & mask;; i = (i + 1) & mask) {
    if (keys_[i] == key) return lines_[i];
    if (keys_[i] == kEmpty) {
      keys_[i] = key;
      lines_[i] = line;
      ++used_;
      return 0;
    }
  }
}

uint64_t FirstOccurrence::Insert(const std::string& key, uint64_t line) {
  auto [it, inserted] = strings_.emplace(key, line);
  return inserted ? 0 : it->second;
}

void FirstOccurrence::Grow() {
  std::vector<uint64_t> old_keys = std::move(keys_), old_lines = std::move(lines_);
  size_t size = old_keys.empty() ? 1024 : old_keys.size() * 2;
  keys_.assign(size, kEmpty);
  lines_.assign(size, 0);
  used_ = 0;
  for (size_t i = 0; i < old_keys.size(); ++i)
    if (old_keys[i] != kEmpty) Insert(old_keys[i], old_lines[i]);
}

}  // namespace nemis::importer
